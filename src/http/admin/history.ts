/**
 * @module Provisioning history (the TrackTik "History tab"): per tenant and per user, newest
 * first, cursor-paged by entry id, filtered by user, group, op or op family, actor kind,
 * console admin, instance and time range, in any combination.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { HonoTypes } from '../../env'
import type { HistoryRow } from '../../storage/repos/history'
import { HISTORY_ACTORS, historyPage, type HistoryQuery } from '../../storage/repos/history-query'
import { PageQuery, tenantOr404 } from './context'
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

const id = z.string().min(1).max(200).optional()
const time = z.iso
  .datetime({ offset: true, error: 'must be an ISO date-time such as 2026-01-31T00:00:00Z' })
  .optional()

const HistoryParams = PageQuery.extend({
  userId: id,
  groupId: id,
  op: z
    .string()
    .regex(
      /^[A-Za-z]+\.[A-Za-z]*$/,
      'must be an op such as user.update, or a family ending with a dot such as user.'
    )
    .max(100)
    .optional(),
  actor: z.enum(HISTORY_ACTORS).optional(),
  actorId: id,
  instanceId: id,
  from: time,
  to: time,
}).refine(
  (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to),
  {
    error: '"from" must be before "to"',
  }
)

async function list(c: Context<HonoTypes>, query: HistoryQuery) {
  const { tenant, db } = await tenantOr404(c, c.req.param('id') ?? '')
  const page = await historyPage(db, tenant.id, query)
  return c.json({ entries: page.rows.map(historyView), nextCursor: page.nextCursor })
}

export function historyRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })
  app.get('/history', adminValidator('query', HistoryParams), (c) => list(c, c.req.valid('query')))
  app.get('/users/:userId/history', adminValidator('query', HistoryParams), (c) =>
    list(c, { ...c.req.valid('query'), userId: c.req.param('userId') })
  )
  return app
}
