/**
 * @module What every console route shares: the Hono environment with the signed-in admin's
 * session, the tenant scope it grants (the tenant, its region's database), and the envelope that
 * records console writes in the history under the admin's own identity.
 */
import type { Context } from 'hono'
import type { Tenant } from '../../model/tenant'
import type { Env, Variables } from '../../env'
import type { Db } from '../../storage/db'
import type { AdminRow } from '../../storage/repos/admins'
import type { Envelope } from '../../tenant-do/commands'
import { adminActor } from '../../domain/write-context'
import { envelope } from '../envelope'
import { tenantWriter } from '../../tenant-do/client'

/** The signed-in admin, their tenant and what the session's forms must carry. */
export interface ConsoleSession {
  admin: AdminRow
  tenant: Tenant
  db: Db
  /** SHA-256 of the session secret: the session's key in storage. */
  idHash: string
  /** The per-session token every form posts back (checked against cross-site requests). */
  csrfToken: string
}

/** The Hono types of the console's routes: the Worker bindings and the signed-in session. */
export interface ConsoleHonoTypes {
  Bindings: Env
  Variables: Variables & {
    session: ConsoleSession
    /** The Content-Security-Policy nonce (hono/secure-headers). */
    secureHeadersNonce?: string
  }
}

export type ConsoleContext = Context<ConsoleHonoTypes>

/** Console writes are the admin's own: recorded with their id and email. */
export const adminEnvelope = (c: ConsoleContext): Envelope =>
  envelope(c.var.requestId, c.var.session.tenant.id, adminActor(c.var.session.admin))

/** The client's address as Cloudflare reports it; tests and local dev may have none. */
export const clientAddress = (c: Context): string =>
  c.req.header('CF-Connecting-IP') ?? c.req.header('X-Real-IP') ?? 'unknown'

/** The signed-in admin's tenant's object: where every console write goes. */
export const sessionWriter = (c: ConsoleContext) => tenantWriter(c.env, c.var.session.tenant.id)
