/**
 * @module Tenants: create (in one region, for good), list across both regions, show.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { REGIONS, newTenantId, type Tenant } from '../../domain/tenant'
import type { AppEnv } from '../../env'
import { randomToken } from '../../lib/ids'
import { regionDb } from '../../storage/db'
import { insertTenant, listTenants } from '../../storage/repos/tenants'
import { scimUrlFor, tenantOr404 } from './context'
import { adminValidator } from './validate'

const TenantBody = z.object({ name: z.string().trim().min(1).max(200), region: z.enum(REGIONS) })

export function tenantsRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

  app.post('/', adminValidator('json', TenantBody), async (c) => {
    const { name, region } = c.req.valid('json')
    const tenant: Tenant = {
      id: newTenantId(region, randomToken(16)),
      name,
      region,
      createdAt: new Date().toISOString(),
      defaultRoleId: null,
      roleMode: 'group-roles',
    }
    await insertTenant(regionDb(c.env, region), tenant)
    return c.json({ ...tenant, scimUrl: scimUrlFor(c, region) }, 201)
  })

  app.get('/', async (c) => {
    const all = await Promise.all(REGIONS.map((r) => listTenants(regionDb(c.env, r))))
    return c.json({ tenants: all.flat().map((t) => ({ ...t, scimUrl: scimUrlFor(c, t.region) })) })
  })

  app.get('/:id', async (c) => {
    const { tenant } = await tenantOr404(c, c.req.param('id'))
    return c.json({ ...tenant, scimUrl: scimUrlFor(c, tenant.region) })
  })

  return app
}
