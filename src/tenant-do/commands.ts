/**
 * @module The typed messages between the HTTP layer and a tenant's Durable Object. Errors cross
 * the RPC boundary as data, since thrown errors lose their class and fields on the way.
 */
import type { ResourceRow } from '../storage/repos/documents'
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

/**
 * The stored resource travels as a row (document as JSON text): RPC types cannot carry
 * `unknown`-typed documents through structured clone typing.
 */
export type WriteOutcome =
  | { ok: true; resource: ResourceRow | null }
  | { ok: false; status: ScimErrorStatus; scimType?: ScimType; detail: string }
