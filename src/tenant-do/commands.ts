/**
 * @module The typed messages between the rest of the Worker and a tenant's Durable Object.
 * Errors cross the RPC boundary as data, since thrown errors lose their class and fields.
 */
import type { Actor } from '../domain/write-context'
import type { ScimErrorStatus, ScimType } from '../scim/errors'

export type WriteCommand =
  | { op: 'createUser' | 'createGroup'; body: unknown }
  | {
      op: 'replaceUser' | 'patchUser' | 'replaceGroup' | 'patchGroup'
      id: string
      body: unknown
      ifMatch?: string
    }
  | { op: 'deleteUser' | 'deleteGroup'; id: string; ifMatch?: string }

/** Who asks, for which tenant, under which request id: carried by every call. */
export interface Envelope {
  tenantId: string
  requestId: string | null
  actor: Actor
}

export interface WriteRequest extends Envelope {
  command: WriteCommand
}

export type Failure = { ok: false; status: ScimErrorStatus; scimType?: ScimType; detail: string }

export type Outcome<T> = { ok: true; value: T } | Failure
