/**
 * @module Agent routes (bulk upsert, list filtered by link state, get), mounted for operators
 * under /admin/v1/tenants/:id/agents and for agent-scoped keys under /agent/v1/agents, and the
 * admin-only merges of a user's agents (merge, show, undo). A batch is written and linked in one
 * atomic step inside the tenant's Durable Object.
 */
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import type { HonoTypes } from '../env'
import { MAX_AGENTS_PER_MERGE } from '../directory/merging'
import type { Db } from '../storage/db'
import { getAgentMerge, type AgentMerge } from '../storage/repos/agent-merges'
import type { AgentRow } from '../storage/repos/agents'
import { getAgentView, listAgents, type AgentView } from '../storage/repos/agent-views'
import { tenantWriter, unwrap } from '../tenant-do/client'
import type { Envelope } from '../tenant-do/commands'
import { AdminError } from './admin/errors'
import { adminValidator } from './admin/validate'
import { AGENT_ID_CURSOR, pageQuery, page } from './admin/context'

/** Reports per request: bounds the work of one Durable Object step. */
const MAX_AGENTS_PER_BATCH = 1000

const Identifier = z.string().trim().max(320).nullable().optional()

const AgentReportSchema = z.object({
  id: z.string().trim().min(1).max(200),
  logonName: z.string().trim().min(1).max(256),
  domain: z.string().trim().max(256),
  email: Identifier,
  upn: Identifier,
  employeeId: Identifier,
  lastSeen: z.iso.datetime({ offset: true }),
})

const BatchSchema = z.object({
  agents: z.array(AgentReportSchema).min(1).max(MAX_AGENTS_PER_BATCH),
})

const ListQuery = pageQuery(AGENT_ID_CURSOR).extend({
  userId: z.string().optional(),
  state: z.enum(['linked', 'unlinked', 'removed', 'merged']).optional(),
})

const AgentId = z.string().trim().min(1).max(200)

const MergeBody = z
  .object({
    into: AgentId,
    agentIds: z.array(AgentId).min(1).max(MAX_AGENTS_PER_MERGE),
    userId: z.string().min(1).optional(),
  })
  .strict()

export interface AgentScope {
  tenantId: string
  db: Db
  envelope: Envelope
}

export function agentsRouter(
  scopeOf: (c: Context<HonoTypes>) => Promise<AgentScope>
): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.post('/', adminValidator('json', BatchSchema), async (c) => {
    const { tenantId, envelope } = await scopeOf(c)
    const started = Date.now()
    const result = unwrap(
      await tenantWriter(c.env, tenantId).upsertAgents(envelope, c.req.valid('json').agents)
    )
    return c.json({ ...result, ms: Date.now() - started })
  })

  app.get('/', adminValidator('query', ListQuery), async (c) => {
    const { tenantId, db } = await scopeOf(c)
    const q = c.req.valid('query')
    const items = await listAgents(db, tenantId, {
      limit: q.limit,
      ...(q.cursor ? { after: q.cursor } : {}),
      ...(q.userId ? { userId: q.userId } : {}),
      ...(q.state ? { state: q.state } : {}),
    })
    const { nextCursor } = page(items, q.limit, (a) => a.id)
    return c.json({ agents: items.map(agentView), nextCursor })
  })

  mountMerges(app, scopeOf)

  app.get('/:agentId', async (c) => {
    const { tenantId, db } = await scopeOf(c)
    const agent = await getAgentView(db, tenantId, c.req.param('agentId'))
    if (!agent) throw new AdminError(404, `Agent "${c.req.param('agentId')}" not found`)
    return c.json(agentView(agent))
  })

  return app
}

/** Mounted before `/:agentId`; the two-segment paths cannot be taken for an agent id. */
function mountMerges(
  app: Hono<HonoTypes>,
  scopeOf: (c: Context<HonoTypes>) => Promise<AgentScope>
): void {
  // Merges are an admin's decision: the agent API (an `agent` key) reports and reads only.
  const adminOnly = createMiddleware<HonoTypes>(async (c, next) => {
    if ((await scopeOf(c)).envelope.actor.kind === 'agent')
      throw new AdminError(403, 'Merging agents is an admin action: use the admin API')
    await next()
  })
  app.use('/merge', adminOnly)
  app.use('/merges/*', adminOnly)

  app.post('/merge', adminValidator('json', MergeBody), async (c) => {
    const { tenantId, envelope } = await scopeOf(c)
    const { into, agentIds, userId } = c.req.valid('json')
    const merge = unwrap(
      await tenantWriter(c.env, tenantId).mergeAgents(envelope, {
        into,
        agentIds,
        ...(userId === undefined ? {} : { userId }),
      })
    )
    return c.json(mergeView(merge), 201)
  })

  app.get('/merges/:mergeId', async (c) => {
    const { tenantId, db } = await scopeOf(c)
    const merge = await getAgentMerge(db, tenantId, c.req.param('mergeId'))
    if (!merge) throw new AdminError(404, `Agent merge "${c.req.param('mergeId')}" not found`)
    return c.json(mergeView(merge))
  })

  app.post('/merges/:mergeId/undo', async (c) => {
    const { tenantId, envelope } = await scopeOf(c)
    const merge = unwrap(
      await tenantWriter(c.env, tenantId).undoAgentMerge(envelope, c.req.param('mergeId'))
    )
    return c.json(mergeView(merge))
  })
}

function mergeView(m: AgentMerge) {
  return {
    id: m.id,
    userId: m.userId,
    into: m.intoAgentId,
    agentIds: m.agentIds,
    state: m.endedAt === null ? 'in-force' : 'ended',
    createdAt: m.createdAt,
    endedAt: m.endedAt,
    endReason: m.endReason,
  }
}

/** What identifies an agent and what it is linked to, as every API shows it. */
export const agentIdentity = (a: AgentRow) => ({
  id: a.id,
  logonName: a.logonName,
  domain: a.domain,
  email: a.email,
  upn: a.upn,
  employeeId: a.employeeId,
  lastSeen: a.lastSeen,
  userId: a.userId,
  linkRule: a.linkRule,
})

function agentView(a: AgentView) {
  return {
    ...agentIdentity(a),
    linkState: a.linkState,
    state: a.state,
    doNotTrack: a.doNotTrack,
    holdsLicense: a.state === 'active',
    removedAt: a.removedAt,
    mergedInto: a.mergedInto,
    mergeId: a.mergeId,
    mergedAgents: a.mergedAgents,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  }
}
