/**
 * @module Agents in a regional database: bulk upsert and link updates (a few statements for any
 * number of agents, see json-rows.ts), the indexed lookups that linking needs (by identifier, by
 * linked user), and removal.
 */
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm'
import { chunk, jsonValues } from '../chunk'
import { rawStatement, type Db, type Statement } from '../db'
import { insertJsonRows, jsonChunks, upsertSuffix } from '../json-rows'
import { agents } from '../schema'

export type AgentRow = typeof agents.$inferSelect

export interface IdentifierSets {
  upns: readonly string[]
  emails: readonly string[]
  employeeIds: readonly string[]
}

/** Agent ids are the client's, up to 200 characters: a few hundred per query. */
export async function getAgentsByIds(
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<AgentRow[]> {
  const out: AgentRow[] = []
  for (const part of chunk(ids, 200)) {
    const rows = await db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, jsonValues(part))))
      .all()
    out.push(...rows)
  }
  return out
}

/** Active agents whose reported identifiers meet any of the sets, at most `limit`. */
export async function activeAgentsMatching(
  db: Db,
  tenantId: string,
  sets: IdentifierSets,
  limit: number
): Promise<AgentRow[]> {
  const clauses = [
    sets.upns.length ? inArray(agents.upnCi, jsonValues(sets.upns)) : undefined,
    sets.emails.length ? inArray(agents.emailCi, jsonValues(sets.emails)) : undefined,
    sets.employeeIds.length
      ? inArray(agents.employeeIdCi, jsonValues(sets.employeeIds))
      : undefined,
  ].filter((c) => c !== undefined)
  if (clauses.length === 0) return []
  return db
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.state, 'active'), or(...clauses)))
    .limit(limit)
    .all()
}

export async function agentsOfUsers(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<AgentRow[]> {
  if (userIds.length === 0) return []
  return db
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), inArray(agents.userId, jsonValues(userIds))))
    .orderBy(asc(agents.id))
    .all()
}

const AGENT_COLUMNS = [
  'tenant_id',
  'id',
  'logon_name',
  'domain',
  'email',
  'upn',
  'employee_id',
  'email_ci',
  'upn_ci',
  'employee_id_ci',
  'last_seen',
  'user_id',
  'link_rule',
  'state',
  'removed_at',
  'created_at',
  'updated_at',
] as const

/** Inserts or overwrites agents (every column but created_at), in a few statements. */
export function upsertAgentStatements(rows: readonly AgentRow[]): Statement[] {
  const json = rows.map((a) => ({
    tenant_id: a.tenantId,
    id: a.id,
    logon_name: a.logonName,
    domain: a.domain,
    email: a.email,
    upn: a.upn,
    employee_id: a.employeeId,
    email_ci: a.emailCi,
    upn_ci: a.upnCi,
    employee_id_ci: a.employeeIdCi,
    last_seen: a.lastSeen,
    user_id: a.userId,
    link_rule: a.linkRule,
    state: a.state,
    removed_at: a.removedAt,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  }))
  const updated = AGENT_COLUMNS.filter((c) => c !== 'tenant_id' && c !== 'id' && c !== 'created_at')
  return insertJsonRows('agents', AGENT_COLUMNS, json, upsertSuffix(['tenant_id', 'id'], updated))
}

export interface AgentLink {
  agentId: string
  userId: string | null
  rule: AgentRow['linkRule']
}

/** Rewrites the links of many agents in a few statements (UPDATE … FROM json_each). */
export function linkAgentsStatements(
  tenantId: string,
  links: readonly AgentLink[],
  at: string
): Statement[] {
  return jsonChunks(links).map((part) =>
    rawStatement(sql`UPDATE agents SET user_id = v.user_id, link_rule = v.link_rule, updated_at = ${at}
      FROM (SELECT json_extract(value, '$.agentId') AS id, json_extract(value, '$.userId') AS user_id,
                   json_extract(value, '$.rule') AS link_rule FROM json_each(${JSON.stringify(part)})) AS v
      WHERE agents.tenant_id = ${tenantId} AND agents.id = v.id`)
  )
}

/** Detaches agents from their user and takes them off the user-agent list (frees licenses). */
export function removeAgentsStatement(
  db: Db,
  tenantId: string,
  agentIds: readonly string[],
  at: string
): Statement {
  return db
    .update(agents)
    .set({ userId: null, linkRule: null, state: 'removed', removedAt: at, updatedAt: at })
    .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, jsonValues(agentIds))))
}

export interface AgentView extends AgentRow {
  doNotTrack: boolean
}

/**
 * An agent is on Do Not Track when it has an entry of its own or its user has one. The outer
 * columns are written out: drizzle renders column references unqualified inside `select`, which
 * a correlated subquery would resolve against its own table.
 */
const dntFlag = sql<number>`EXISTS (SELECT 1 FROM dnt_entries d WHERE d.tenant_id = agents.tenant_id
  AND (d.agent_id = agents.id OR (agents.user_id IS NOT NULL AND d.user_id = agents.user_id)))`

function toView(row: AgentRow & { dnt: number }): AgentView {
  const { dnt, ...agent } = row
  return { ...agent, doNotTrack: dnt === 1 }
}

export async function listAgents(
  db: Db,
  tenantId: string,
  opts: { after?: string; limit: number; userId?: string }
): Promise<AgentView[]> {
  const conditions = [eq(agents.tenantId, tenantId)]
  if (opts.after !== undefined) conditions.push(gt(agents.id, opts.after))
  if (opts.userId !== undefined) conditions.push(eq(agents.userId, opts.userId))
  const rows = await db
    .select({ ...selectAgent, dnt: dntFlag })
    .from(agents)
    .where(and(...conditions))
    .orderBy(asc(agents.id))
    .limit(opts.limit)
    .all()
  return rows.map(toView)
}

export async function getAgentView(
  db: Db,
  tenantId: string,
  id: string
): Promise<AgentView | undefined> {
  const row = await db
    .select({ ...selectAgent, dnt: dntFlag })
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)))
    .get()
  return row ? toView(row) : undefined
}

const selectAgent = {
  tenantId: agents.tenantId,
  id: agents.id,
  logonName: agents.logonName,
  domain: agents.domain,
  email: agents.email,
  upn: agents.upn,
  employeeId: agents.employeeId,
  emailCi: agents.emailCi,
  upnCi: agents.upnCi,
  employeeIdCi: agents.employeeIdCi,
  lastSeen: agents.lastSeen,
  userId: agents.userId,
  linkRule: agents.linkRule,
  state: agents.state,
  removedAt: agents.removedAt,
  createdAt: agents.createdAt,
  updatedAt: agents.updatedAt,
}

export interface LicenseCounts {
  agents: number
  licensed: number
  licensedDoNotTrack: number
  removed: number
  linked: number
  unlinked: number
}

/** License accounting: an agent on the user-agent list holds a license, DNT or not. */
export async function licenseCounts(db: Db, tenantId: string): Promise<LicenseCounts> {
  const row = await db
    .select({
      agents: sql<number>`count(*)`,
      licensed: sql<number>`coalesce(sum(${agents.state} = 'active'), 0)`,
      licensedDoNotTrack: sql<number>`coalesce(sum(${agents.state} = 'active' AND ${dntFlag}), 0)`,
      removed: sql<number>`coalesce(sum(${agents.state} = 'removed'), 0)`,
      linked: sql<number>`coalesce(sum(${agents.state} = 'active' AND ${agents.userId} IS NOT NULL), 0)`,
    })
    .from(agents)
    .where(eq(agents.tenantId, tenantId))
    .get()
  const counts = row ?? { agents: 0, licensed: 0, licensedDoNotTrack: 0, removed: 0, linked: 0 }
  return { ...counts, unlinked: counts.licensed - counts.linked }
}

/** How many active agents each of the users has (users without agents are absent). */
export async function activeAgentCounts(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .select({ userId: agents.userId, n: sql<number>`count(*)` })
    .from(agents)
    .where(
      and(
        eq(agents.tenantId, tenantId),
        eq(agents.state, 'active'),
        inArray(agents.userId, jsonValues(userIds))
      )
    )
    .groupBy(agents.userId)
    .all()
  return new Map(rows.flatMap((r) => (r.userId ? [[r.userId, r.n] as const] : [])))
}

/** Whether the tenant has any agent at all. */
export async function tenantHasAgents(db: Db, tenantId: string): Promise<boolean> {
  const row = await db
    .select({ id: agents.id })
    .from(agents)
    .where(eq(agents.tenantId, tenantId))
    .limit(1)
    .get()
  return row !== undefined
}
