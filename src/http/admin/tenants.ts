/**
 * @module Tenants: create (in one region, for good, with its role mode and, in group-roles mode,
 * its default role), list across both regions, show.
 */
import { Hono } from 'hono'
import { REGIONS, newTenantId } from '../../model/tenant'
import { tenantSpecSchema } from '../../domain/tenants'
import type { HonoTypes } from '../../env'
import { randomToken } from '../../lib/ids'
import { regionDb } from '../../storage/db'
import { listTenants } from '../../storage/repos/tenants'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { scimUrlFor, tenantOr404 } from './context'
import { operatorEnvelope } from '../envelope'
import { adminValidator } from './validate'

export function tenantsRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.post('/', adminValidator('json', tenantSpecSchema), async (c) => {
    const spec = c.req.valid('json')
    // The id names the tenant's region and its Durable Object, which creates the tenant.
    const id = newTenantId(spec.region, randomToken(16))
    const tenant = unwrap(await tenantWriter(c.env, id).createTenant(operatorEnvelope(c, id), spec))
    return c.json({ ...tenant, scimUrl: scimUrlFor(c, tenant.region) }, 201)
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
