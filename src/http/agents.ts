/**
 * @module Agent routes (bulk upsert, list, get), mounted for operators under
 * /admin/v1/tenants/:id/agents and for agent-scoped keys under /agent/v1/agents. A batch is
 * written and linked in one atomic step inside the tenant's Durable Object.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../env'
import type { Db } from '../storage/db'
import { getAgentView, listAgents } from '../storage/repos/agents'
import { tenantWriter, unwrap } from '../tenant-do/client'
import type { Envelope } from '../tenant-do/commands'
import { AdminError } from './admin/errors'
import { adminValidator } from './admin/validate'
import { AGENT_ID_CURSOR, pageQuery, page } from './admin/context'

/** Reports per request: bounds the work of one Durable Object step. */
export const MAX_AGENTS_PER_BATCH = 1000

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

const ListQuery = pageQuery(AGENT_ID_CURSOR).extend({ userId: z.string().optional() })

export interface AgentScope {
  tenantId: string
  db: Db
  envelope: Envelope
}

export function agentsRouter(scopeOf: (c: Context<AppEnv>) => Promise<AgentScope>): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

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
    })
    const { nextCursor } = page(items, q.limit, (a) => a.id)
    return c.json({ agents: items.map(agentView), nextCursor })
  })

  app.get('/:agentId', async (c) => {
    const { tenantId, db } = await scopeOf(c)
    const agent = await getAgentView(db, tenantId, c.req.param('agentId'))
    if (!agent) throw new AdminError(404, `Agent "${c.req.param('agentId')}" not found`)
    return c.json(agentView(agent))
  })

  return app
}

function agentView(a: Awaited<ReturnType<typeof listAgents>>[number]) {
  return {
    id: a.id,
    logonName: a.logonName,
    domain: a.domain,
    email: a.email,
    upn: a.upn,
    employeeId: a.employeeId,
    lastSeen: a.lastSeen,
    userId: a.userId,
    linkRule: a.linkRule,
    state: a.state,
    doNotTrack: a.doNotTrack,
    holdsLicense: a.state === 'active',
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  }
}
