/**
 * @module The typed messages between the HTTP layer and a tenant's Durable Object. Errors cross
 * the RPC boundary as data, since thrown errors lose their class and fields on the way.
 */
import type { StoredResource } from '../domain/resource'
import type { ScimErrorStatus, ScimType } from '../scim/errors'

export type WriteCommand =
  | { op: 'createUser' | 'createGroup'; body: unknown }
  | { op: 'replaceUser' | 'patchUser' | 'replaceGroup' | 'patchGroup'; id: string; body: unknown; ifMatch?: string }
  | { op: 'deleteUser' | 'deleteGroup'; id: string; ifMatch?: string }

export interface WriteRequest {
  tenantId: string
  requestId: string
  command: WriteCommand
}

export type WriteOutcome =
  | { ok: true; resource: StoredResource | null }
  | { ok: false; status: ScimErrorStatus; scimType?: ScimType; detail: string }
