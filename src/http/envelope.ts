/**
 * @module The envelope every write to a tenant's Durable Object carries: the tenant, the
 * request id and who acts. Built here from the request, so the history names the caller the
 * same way whatever router made the write.
 */
import type { Context } from 'hono'
import { adminActor, keyActor, OPERATOR_ACTOR, type Actor } from '../domain/write-context'
import type { HonoTypes } from '../env'
import type { Envelope } from '../tenant-do/commands'

/** A write under this request's id. */
export const envelope = (requestId: string, tenantId: string, actor: Actor): Envelope => ({
  tenantId,
  requestId,
  actor,
})

/** A write by the caller's key (and its instance), for the key's tenant. */
export const callerEnvelope = (c: Context<HonoTypes>, kind: 'scim' | 'agent'): Envelope =>
  envelope(c.var.requestId, c.var.caller.tenantId, keyActor(kind, c.var.caller))

/** An operator write through the admin API. */
export const operatorEnvelope = (c: Context<HonoTypes>, tenantId: string): Envelope =>
  envelope(c.var.requestId, tenantId, OPERATOR_ACTOR)

/** A console admin's own write, for the admin's tenant. */
export const adminEnvelopeOf = (
  requestId: string,
  admin: { id: string; email: string; tenantId: string }
): Envelope => envelope(requestId, admin.tenantId, adminActor(admin))
