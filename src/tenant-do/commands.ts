/**
 * @module The typed messages between the rest of the Worker and a tenant's Durable Object: who
 * asks (the envelope every call carries) and what it answers. Errors cross the RPC boundary as
 * data, since thrown errors lose their class and fields.
 */
import type { KeyClaim } from '../domain/key-check'
import type { Actor } from '../domain/write-context'
import type { ScimErrorStatus, ScimType } from '../scim/errors'

/** Who asks, for which tenant, under which request id: carried by every call. */
export interface Envelope {
  tenantId: string
  requestId: string | null
  actor: Actor
  /**
   * A SCIM write whose key the Worker did not read: the object judges it (and counts it against
   * the key's limits) before the write is queued.
   */
  key?: KeyClaim
}

export interface Failure {
  ok: false
  status: ScimErrorStatus
  scimType?: ScimType
  detail: string
  /** Response headers the answer needs (WWW-Authenticate, Retry-After). */
  headers?: Readonly<Record<string, string>>
}

export type Outcome<T> = { ok: true; value: T } | Failure
