/**
 * @module The end of a tenant's life, under /tenants/:id: its export (everything it holds, as
 * NDJSON streamed page by page) and its offboarding (every row of it erased in its region, its
 * Durable Object's storage and its keys, in bounded steps on the object's alarm).
 */
import { Hono } from 'hono'
import type { HonoTypes } from '../../env'
import { logError } from '../../lib/log'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { scimUrlFor, tenantOr404 } from './context'
import { operatorEnvelope } from '../envelope'
import { AdminError } from './errors'
import { exportLines, ndjsonStream, NDJSON_MEDIA_TYPE } from './export'

export function tenantLifecycleRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.get('/:id/export', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    if (tenant.status === 'offboarding')
      throw new AdminError(
        409,
        `Tenant "${tenant.id}" is being offboarded: its data is being erased and cannot be exported`
      )
    const exportedAt = new Date().toISOString()
    const requestId = c.var.requestId
    const lines = exportLines({ db, tenant, scimBase: scimUrlFor(c, tenant.region), exportedAt })
    const body = ndjsonStream(lines, (error) => {
      logError(error, { requestId, tenantId: tenant.id, job: 'export' })
    })
    return c.body(body, 200, {
      'Content-Type': NDJSON_MEDIA_TYPE,
      'Content-Disposition': `attachment; filename="${tenant.id}-${exportedAt.slice(0, 10)}.ndjson"`,
      'Cache-Control': 'no-store',
    })
  })

  /**
   * Offboarding is irreversible, so it asks for the tenant id a second time. The keys are
   * revoked before the answer; the erasure follows on the tenant's alarm: 202, and GET
   * /tenants/:id shows the progress until the tenant is gone (then 404).
   */
  app.delete('/:id', async (c) => {
    const { tenant } = await tenantOr404(c, c.req.param('id'))
    if (c.req.query('confirm') !== tenant.id)
      throw new AdminError(
        400,
        `Offboarding erases tenant "${tenant.id}" (${tenant.name}) and all its data for good; to confirm, send DELETE /admin/v1/tenants/${tenant.id}?confirm=${tenant.id}`
      )
    const progress = unwrap(
      await tenantWriter(c.env, tenant.id).startOffboarding(operatorEnvelope(c, tenant.id))
    )
    return c.json({ id: tenant.id, status: 'offboarding', offboarding: progress }, 202)
  })

  return app
}
