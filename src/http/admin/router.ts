/**
 * @module Operator admin API under /admin/v1, behind the ADMIN_TOKEN secret: tenants and their
 * SCIM keys. A key's token is shown exactly once, in the response that creates or regenerates it.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { newKeyId, newSecret } from '../../domain/keys'
import { REGIONS, newTenantId, regionOfTenant, type Region, type Tenant } from '../../domain/tenant'
import type { AppEnv } from '../../env'
import { randomToken } from '../../lib/ids'
import { constantTimeEqual } from '../../lib/secrets'
import { regionDb, type Db } from '../../storage/db'
import {
  getTenant,
  insertKey,
  insertTenant,
  listKeys,
  listTenants,
  replaceKeySecret,
  revokeKey,
  type KeyRow,
} from '../../storage/repos/tenants'
import { AdminError, adminErrorBody } from './errors'
import { adminValidator } from './validate'

const TenantBody = z.object({ name: z.string().trim().min(1).max(200), region: z.enum(REGIONS) })
const KeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
})

/** The SCIM base URL an admin pastes into Entra ID or Okta for a tenant of this region. */
export function scimUrlFor(c: Context<AppEnv>, region: Region): string {
  const configured = region === 'eu' ? c.env.PUBLIC_URL_EU : c.env.PUBLIC_URL_US
  return `${configured ?? new URL(c.req.url).origin}/scim/v2`
}

const keyView = (k: KeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
  rateLimitPerMinute: k.rateLimitPerMinute,
})

async function tenantOr404(c: Context<AppEnv>, id: string): Promise<{ tenant: Tenant; db: Db }> {
  const region = regionOfTenant(id)
  const db = region ? regionDb(c.env, region) : undefined
  const tenant = db ? await getTenant(db, id) : undefined
  if (!tenant || !db) throw new AdminError(404, `Tenant "${id}" not found`)
  return { tenant, db }
}

export function adminRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })
  app.onError((error, c) => {
    const { status, body } = adminErrorBody(error, c.var.requestId)
    return c.json(body, status)
  })
  app.use('*', async (c, next) => {
    const expected = c.env.ADMIN_TOKEN
    if (!expected) throw new AdminError(503, 'The admin API is disabled: set the ADMIN_TOKEN secret')
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim() ?? ''
    if (!(await constantTimeEqual(given, expected))) throw new AdminError(401, 'A valid admin token is required')
    await next()
  })

  app.post('/tenants', adminValidator('json', TenantBody), async (c) => {
    const { name, region } = c.req.valid('json')
    const tenant: Tenant = { id: newTenantId(region, randomToken(16)), name, region, createdAt: new Date().toISOString() }
    await insertTenant(regionDb(c.env, region), tenant)
    return c.json({ ...tenant, scimUrl: scimUrlFor(c, region) }, 201)
  })

  app.get('/tenants', async (c) => {
    const all = await Promise.all(REGIONS.map((r) => listTenants(regionDb(c.env, r))))
    return c.json({ tenants: all.flat().map((t) => ({ ...t, scimUrl: scimUrlFor(c, t.region) })) })
  })

  app.get('/tenants/:id', async (c) => {
    const { tenant } = await tenantOr404(c, c.req.param('id'))
    return c.json({ ...tenant, scimUrl: scimUrlFor(c, tenant.region) })
  })

  app.post('/tenants/:id/keys', adminValidator('json', KeyBody), async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    const body = c.req.valid('json')
    const id = newKeyId()
    const secret = await newSecret(tenant.region, id)
    const row: KeyRow = {
      id,
      tenantId: tenant.id,
      name: body.name,
      prefix: secret.prefix,
      secretHash: secret.secretHash,
      rateLimitPerMinute: body.rateLimitPerMinute ?? null,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    }
    await insertKey(db, row)
    return c.json({ ...keyView(row), token: secret.token, scimUrl: scimUrlFor(c, tenant.region) }, 201)
  })

  app.get('/tenants/:id/keys', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    return c.json({ keys: (await listKeys(db, tenant.id)).map(keyView) })
  })

  app.delete('/tenants/:id/keys/:keyId', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    const revoked = await revokeKey(db, tenant.id, c.req.param('keyId'), new Date().toISOString())
    if (!revoked) throw new AdminError(404, `No live key "${c.req.param('keyId')}" for this tenant`)
    return c.body(null, 204)
  })

  app.post('/tenants/:id/keys/:keyId/regenerate', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    const keyId = c.req.param('keyId')
    const secret = await newSecret(tenant.region, keyId)
    const replaced = await replaceKeySecret(db, tenant.id, keyId, secret.secretHash)
    if (!replaced) throw new AdminError(404, `No live key "${keyId}" for this tenant`)
    return c.json({ id: keyId, prefix: secret.prefix, token: secret.token, scimUrl: scimUrlFor(c, tenant.region) })
  })

  app.notFound((c) => c.json({ error: { status: 404, message: 'No such admin endpoint' } }, 404))
  return app
}
