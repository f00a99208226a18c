/**
 * @module Agents in a regional database: bulk upsert and link updates (a few statements for any
 * number of agents, see json-rows.ts), the indexed lookups that linking needs (by identifier, by
 * linked user), removal, and the reads of the console's agent list (filtered by link state,
 * paged by id, each filter served by the `agents_link_state` index).
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { byId } from '../../lib/ids'
import { chunk, existingIds, jsonValues } from '../chunk'
import { rawStatement, type Db, type Statement } from '../db'
import { insertJsonRows, jsonChunks, upsertSuffix } from '../json-rows'
import { agents, users } from '../schema'

/** A stored agent; `link_state` is derived by the database and never written. */
export type AgentRow = Omit<typeof agents.$inferSelect, 'linkState'>

export type AgentLinkState = NonNullable<(typeof agents.$inferSelect)['linkState']>

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

/**
 * Where the identifiers to match come from, per kind: a list (`jsonValues`) or a subquery. A
 * kind left out matches nothing.
 */
export interface IdentifierSources {
  upns?: SQL | undefined
  emails?: SQL | undefined
  employeeIds?: SQL | undefined
}

/** The sets as lists to match; an empty set is left out. */
export const listSources = (sets: IdentifierSets): IdentifierSources => ({
  upns: sets.upns.length ? jsonValues(sets.upns) : undefined,
  emails: sets.emails.length ? jsonValues(sets.emails) : undefined,
  employeeIds: sets.employeeIds.length ? jsonValues(sets.employeeIds) : undefined,
})

/**
 * `(ids of the tenant's agents whose identifiers are among the sources)`, undefined when no
 * source is given. One branch per identifier, each from its index: SQLite answers an OR of the
 * three by walking the tenant.
 */
export function agentIdsMatching(tenantId: string, sources: IdentifierSources): SQL | undefined {
  const branch = (column: SQL, source: SQL | undefined) =>
    source
      ? [sql`SELECT id FROM agents WHERE tenant_id = ${tenantId} AND ${column} IN ${source}`]
      : []
  const branches = [
    ...branch(sql`upn_ci`, sources.upns),
    ...branch(sql`email_ci`, sources.emails),
    ...branch(sql`employee_id_ci`, sources.employeeIds),
  ]
  if (branches.length === 0) return undefined
  return sql`(${sql.join(branches, sql` UNION ALL `)})`
}

/** Active agents whose reported identifiers meet any of the sets, at most `limit`. */
export async function activeAgentsMatching(
  db: Db,
  tenantId: string,
  sets: IdentifierSets,
  limit: number
): Promise<AgentRow[]> {
  const ids = agentIdsMatching(tenantId, listSources(sets))
  if (!ids) return []
  return db
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.state, 'active'), inArray(agents.id, ids)))
    .limit(limit)
    .all()
}

/**
 * The tenant's agents whose `column` is any of `ids`, by id. Sorted here, not in SQL: asked for
 * id order, SQLite walks every agent of the tenant by primary key rather than sort a few rows.
 */
export async function agentsWhereIn(
  db: Db,
  tenantId: string,
  column: typeof agents.userId | typeof agents.mergedInto,
  ids: readonly string[]
): Promise<AgentRow[]> {
  if (ids.length === 0) return []
  const rows = await db
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), inArray(column, jsonValues(ids))))
    .all()
  return rows.sort(byId)
}

/** The agents linked to any of these users. */
export const agentsOfUsers = (
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<AgentRow[]> => agentsWhereIn(db, tenantId, agents.userId, userIds)

/**
 * Of the users agents are linked to, those whose row is gone: deleted users whose agents the
 * purge has not removed yet (a deletion takes the user row at once and leaves its agents
 * linked; only the purge unlinks them). One primary-key lookup per user.
 */
export async function linkedUsersGone(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<Set<string>> {
  const present = await existingIds(db, users, tenantId, userIds)
  return new Set(userIds.filter((id) => !present.has(id)))
}

/** Every stored column of an agent (`link_state` is derived), in SQL names. */
export const AGENT_COLUMNS = [
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
  'merged_into',
  'merge_id',
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
    merged_into: a.mergedInto,
    merge_id: a.mergeId,
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

/**
 * Rewrites the links of many agents in a few statements (UPDATE … FROM json_each). The links
 * drive the join, each finding its agent by primary key: they are materialized with the tenant
 * as a column, since with the tenant a constant SQLite walks every agent of the tenant and scans
 * the links for each (one link among 50,000 agents took 24 ms, 500 took 16 s; now 0.2 and 4 ms).
 */
export function linkAgentsStatements(
  tenantId: string,
  links: readonly AgentLink[],
  at: string
): Statement[] {
  return jsonChunks(links.map((l) => JSON.stringify(l))).map((part) =>
    rawStatement(sql`WITH v AS MATERIALIZED (
        SELECT ${tenantId} AS tenant_id, json_extract(value, '$.agentId') AS id,
               json_extract(value, '$.userId') AS user_id, json_extract(value, '$.rule') AS link_rule
        FROM json_each(${part}))
      UPDATE agents SET user_id = v.user_id, link_rule = v.link_rule, updated_at = ${at}
      FROM v WHERE agents.tenant_id = v.tenant_id AND agents.id = v.id`)
  )
}

/**
 * Detaches agents from their user and takes them off the user-agent list (frees licenses); a
 * merged agent leaves its merge too.
 */
export function removeAgentsStatement(
  db: Db,
  tenantId: string,
  agentIds: readonly string[],
  at: string
): Statement {
  return updateAgentsStatement(db, tenantId, agentIds, {
    userId: null,
    linkRule: null,
    state: 'removed',
    removedAt: at,
    mergedInto: null,
    mergeId: null,
    updatedAt: at,
  })
}

/** Sets `values` on the tenant's agents among `agentIds` (those matching `also`, if given). */
export function updateAgentsStatement(
  db: Db,
  tenantId: string,
  agentIds: readonly string[],
  values: Partial<typeof agents.$inferInsert>,
  also?: SQL
): Statement {
  return db
    .update(agents)
    .set(values)
    .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, jsonValues(agentIds)), also))
}

/** Of the given agents, the removed ones that have no Do Not Track entry of their own. */
export async function removedAgentsWithoutDnt(
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<Set<string>> {
  const out = new Set<string>()
  for (const part of chunk(ids, 200)) {
    const rows = await db
      .select({ id: agents.id })
      .from(agents)
      .where(
        and(
          eq(agents.tenantId, tenantId),
          inArray(agents.id, jsonValues(part)),
          eq(agents.state, 'removed'),
          sql`NOT EXISTS (SELECT 1 FROM dnt_entries d WHERE d.tenant_id = agents.tenant_id AND d.agent_id = agents.id)`
        )
      )
      .all()
    for (const r of rows) out.add(r.id)
  }
  return out
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

export { licenseCounts, listAgents, type AgentView } from './agent-views'
