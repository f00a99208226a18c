/**
 * @module The typed messages between the rest of the Worker and a tenant's Durable Object: who
 * asks (the envelope every call carries) and what it answers. Errors cross the RPC boundary as
 * data, since thrown errors lose their class and fields.
 */
import type { Actor } from '../domain/write-context'
import type { ScimErrorStatus, ScimType } from '../scim/errors'

/** Who asks, for which tenant, under which request id: carried by every call. */
export interface Envelope {
  tenantId: string
  requestId: string | null
  actor: Actor
}

type Failure = { ok: false; status: ScimErrorStatus; scimType?: ScimType; detail: string }

export type Outcome<T> = { ok: true; value: T } | Failure
