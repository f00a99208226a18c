/**
 * @module Provisioning history (the TrackTik "History tab"): per tenant and per user, newest
 * first, cursor-paged by entry id.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { historyPage, type HistoryRow } from '../../storage/repos/history'
import { page, PageQuery, tenantOr404 } from './context'
import { adminValidator } from './validate'

/** An entry as the admin API and the tenant export show it. */
export const historyView = (h: HistoryRow) => ({
  id: h.id,
  at: h.at,
  actor: h.actor,
  actorId: h.actorId,
  actorName: h.actorName,
  instanceId: h.instanceId,
  keyId: h.keyId,
  requestId: h.requestId,
  op: h.op,
  resourceType: h.resourceType,
  resourceId: h.resourceId,
  userId: h.userId,
  changes: JSON.parse(h.changes) as unknown,
})

export function historyRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })
  const list = async (
    c: Context<AppEnv>,
    userId: string | undefined,
    q: { limit: number; cursor?: string | undefined }
  ) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id') ?? '')
    const rows = await historyPage(db, {
      tenantId: tenant.id,
      limit: q.limit,
      ...(userId !== undefined ? { userId } : {}),
      ...(q.cursor !== undefined ? { before: q.cursor } : {}),
    })
    return c.json({
      entries: rows.map(historyView),
      nextCursor: page(rows, q.limit, (h) => h.id).nextCursor,
    })
  }
  app.get('/history', adminValidator('query', PageQuery), (c) =>
    list(c, undefined, c.req.valid('query'))
  )
  app.get('/users/:userId/history', adminValidator('query', PageQuery), (c) =>
    list(c, c.req.param('userId'), c.req.valid('query'))
  )
  return app
}
