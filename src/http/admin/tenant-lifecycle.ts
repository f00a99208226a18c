/**
 * @module The end of a tenant's life, under /tenants/:id: its export (everything it holds, as
 * NDJSON streamed page by page) and its offboarding (every row of it erased in its region, its
 * Durable Object's storage and its keys, in bounded steps on the object's alarm).
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { scimUrlFor, tenantOr404 } from './context'
import { exportLines, ndjsonStream, NDJSON_MEDIA_TYPE } from './export'

export function tenantLifecycleRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

  app.get('/:id/export', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id'))
    const exportedAt = new Date().toISOString()
    const requestId = c.var.requestId
    const lines = exportLines({ db, tenant, scimBase: scimUrlFor(c, tenant.region), exportedAt })
    const body = ndjsonStream(lines, (error) => {
      console.error(
        JSON.stringify({
          level: 'error',
          requestId,
          tenantId: tenant.id,
          job: 'export',
          error: error instanceof Error ? error.stack : String(error),
        })
      )
    })
    return c.body(body, 200, {
      'Content-Type': NDJSON_MEDIA_TYPE,
      'Content-Disposition': `attachment; filename="${tenant.id}-${exportedAt.slice(0, 10)}.ndjson"`,
      'Cache-Control': 'no-store',
    })
  })

  return app
}
