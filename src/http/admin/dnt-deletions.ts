/**
 * @module The Do Not Track list, license counts and deletion records as operators see them,
 * under /tenants/:id: what the product must not track, what it counts, and what it erased.
 * Writes go through the tenant's Durable Object and are recorded as `operator`.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { loadConfig, verifySettings } from '../../config'
import { verifyByOf } from '../../domain/deletion-verification'
import type { HonoTypes } from '../../env'
import { licenseCounts } from '../../storage/repos/agents'
import { listDeletions, type DeletionRow } from '../../storage/repos/deletions'
import { listDnt, type DntRow } from '../../storage/repos/dnt'
import { unwrap } from '../../tenant-do/client'
import { operatorWriter, page, PageQuery, tenantOr404 } from './context'
import { adminValidator } from './validate'

const tenantId = (c: Context<HonoTypes>): string => c.req.param('id') ?? ''

const DeletionsQuery = PageQuery.extend({
  status: z.enum(['pending', 'verified', 'failed']).optional(),
})
const DntBody = z.union([
  z.object({ userId: z.string().min(1) }).strict(),
  z.object({ agentId: z.string().min(1) }).strict(),
])
const dntView = (d: DntRow) => ({ ...d, identifiers: JSON.parse(d.identifiers) as unknown })
/** A deletion with the time it must be verified by (verifiedAt says when it was). */
const deletionView = (d: DeletionRow, deadlineMs: number) => ({
  ...d,
  identifiers: JSON.parse(d.identifiers) as unknown,
  verifyBy: verifyByOf(d.requestedAt, deadlineMs),
})

/** The Do Not Track list, the tenant's license counts and its deletions. */
export function dntDeletionsRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.get('/dnt', adminValidator('query', PageQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const q = c.req.valid('query')
    const items = await listDnt(db, tenant.id, {
      limit: q.limit,
      ...(q.cursor ? { after: q.cursor } : {}),
    })
    return c.json({
      entries: items.map(dntView),
      nextCursor: page(items, q.limit, (d) => d.id).nextCursor,
    })
  })

  app.post('/dnt', adminValidator('json', DntBody), async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    const entry = unwrap(await writer.addDnt(envelope, c.req.valid('json')))
    return c.json(dntView(entry), 201)
  })

  app.delete('/dnt/:entryId', async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    unwrap(await writer.removeDnt(envelope, c.req.param('entryId')))
    return c.body(null, 204)
  })

  app.get('/licenses', async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    return c.json(await licenseCounts(db, tenant.id))
  })

  app.get('/deletions', adminValidator('query', DeletionsQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const q = c.req.valid('query')
    const items = await listDeletions(db, tenant.id, {
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(q.cursor ? { before: q.cursor } : {}),
    })
    const { deadlineMs } = verifySettings(loadConfig(c.env))
    return c.json({
      deletions: items.map((d) => deletionView(d, deadlineMs)),
      nextCursor: page(items, q.limit, (d) => d.id).nextCursor,
    })
  })

  return app
}
