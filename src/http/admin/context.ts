/**
 * @module What every tenant-scoped admin route needs: the tenant (404 when unknown), its
 * region's database, the operator's envelope for writes through the tenant's Durable Object,
 * the SCIM URL to show, and cursor paging of lists.
 */
import type { Context } from 'hono'
import { z } from 'zod'
import { regionOfTenant, type Region } from '../../domain/tenant'
import type { AppEnv } from '../../env'
import { regionD1, regionDb, type Db } from '../../storage/db'
import { getTenant, type TenantRecord } from '../../storage/repos/tenants'
import type { Envelope } from '../../tenant-do/commands'
import { AdminError } from './errors'

export interface TenantScope {
  /** With its status: `offboarding` while its data is being erased. */
  tenant: TenantRecord
  db: Db
  d1: D1Database
}

export async function tenantOr404(c: Context<AppEnv>, id: string): Promise<TenantScope> {
  const region = regionOfTenant(id)
  const db = region ? regionDb(c.env, region) : undefined
  const tenant = db ? await getTenant(db, id) : undefined
  if (!tenant || !db || !region) throw new AdminError(404, `Tenant "${id}" not found`)
  return { tenant, db, d1: regionD1(c.env, region) }
}

/** Operator writes are recorded as `operator` in the history, with the request id. */
export const operatorEnvelope = (c: Context<AppEnv>, tenantId: string): Envelope => ({
  tenantId,
  requestId: c.var.requestId,
  actor: { kind: 'operator', instanceId: null, keyId: null },
})

/** The SCIM base URL an admin pastes into Entra ID or Okta for a tenant of this region. */
export function scimUrlFor(c: Context<AppEnv>, region: Region): string {
  const configured = region === 'eu' ? c.env.PUBLIC_URL_EU : c.env.PUBLIC_URL_US
  return `${configured ?? new URL(c.req.url).origin}/scim/v2`
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(200).optional(),
})

/** A page of a list ordered by id, with the cursor of the next page when there may be one. */
export function page<T>(items: T[], limit: number, idOf: (item: T) => string) {
  const last = items.at(-1)
  return { items, nextCursor: items.length === limit && last !== undefined ? idOf(last) : null }
}
