/**
 * @module Agents as the admin API and the console show them: each with its link, link state,
 * license, Do Not Track flag and merge, listed in id-ordered pages (a `state` filter is served by
 * the `agents_link_state` index), and the tenant's license counts.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { agents } from '../schema'
import type { AgentLinkState, AgentRow } from './agents'

export interface AgentView extends AgentRow {
  doNotTrack: boolean
  linkState: AgentLinkState
  /** How many agents are merged into this one (it holds their license and membership). */
  mergedAgents: number
}

/**
 * An agent is on Do Not Track when it has an entry of its own or its user has one. The outer
 * columns are written out: drizzle renders column references unqualified inside `select`, which
 * a correlated subquery would resolve against its own table.
 */
const dntFlag = sql<number>`EXISTS (SELECT 1 FROM dnt_entries d WHERE d.tenant_id = agents.tenant_id
  AND (d.agent_id = agents.id OR (agents.user_id IS NOT NULL AND d.user_id = agents.user_id)))`

/** Counted through `agents_merged_into`; outer columns written out as for `dntFlag`. */
const mergedCount = sql<number>`(SELECT count(*) FROM agents m WHERE m.tenant_id = agents.tenant_id
  AND m.merged_into = agents.id)`

function toView(row: Omit<AgentView, 'doNotTrack'> & { dnt: number }): AgentView {
  const { dnt, ...agent } = row
  return { ...agent, doNotTrack: dnt === 1 }
}

export interface AgentListOptions {
  /** The previous page's last id. */
  after?: string
  limit: number
  userId?: string
  /** `linked` / `unlinked`: holding a license, with or without a user; `removed`; `merged`. */
  state?: AgentLinkState
}

/**
 * A user's few agents are sorted after an `agents_user` lookup: ordered by plain `id`, SQLite
 * would walk the whole tenant along the primary key to skip that sort.
 */
const userOrder = sql`+${agents.id}`

/**
 * The query of one page of agents ordered by id. With `state`, SQLite reads it off the
 * `agents_link_state` index (tenant, link state, id): no scan and no sort, however large the
 * tenant. With `userId`, the `agents_user` index. Exposed unexecuted so its plan can be checked.
 */
export function agentListQuery(db: Db, tenantId: string, opts: AgentListOptions) {
  const conditions = [eq(agents.tenantId, tenantId)]
  if (opts.state !== undefined) conditions.push(eq(agents.linkState, opts.state))
  if (opts.after !== undefined) conditions.push(gt(agents.id, opts.after))
  if (opts.userId !== undefined) conditions.push(eq(agents.userId, opts.userId))
  return db
    .select({ ...selectAgent, dnt: dntFlag, mergedAgents: mergedCount })
    .from(agents)
    .where(and(...conditions))
    .orderBy(opts.userId === undefined ? asc(agents.id) : userOrder)
    .limit(opts.limit)
}

/** A page of agents (see `agentListQuery`). */
export async function listAgents(
  db: Db,
  tenantId: string,
  opts: AgentListOptions
): Promise<AgentView[]> {
  return (await agentListQuery(db, tenantId, opts).all()).map(toView)
}

export async function getAgentView(
  db: Db,
  tenantId: string,
  id: string
): Promise<AgentView | undefined> {
  const row = await db
    .select({ ...selectAgent, dnt: dntFlag, mergedAgents: mergedCount })
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
  mergedInto: agents.mergedInto,
  mergeId: agents.mergeId,
  linkState: agents.linkState,
  createdAt: agents.createdAt,
  updatedAt: agents.updatedAt,
}

export interface LicenseCounts {
  agents: number
  licensed: number
  licensedDoNotTrack: number
  removed: number
  /** Merged into another agent of the same user, whose license they share. */
  merged: number
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
      merged: sql<number>`coalesce(sum(${agents.state} = 'merged'), 0)`,
      linked: sql<number>`coalesce(sum(${agents.state} = 'active' AND ${agents.userId} IS NOT NULL), 0)`,
    })
    .from(agents)
    .where(eq(agents.tenantId, tenantId))
    .get()
  const counts = row ?? {
    agents: 0,
    licensed: 0,
    licensedDoNotTrack: 0,
    removed: 0,
    merged: 0,
    linked: 0,
  }
  return { ...counts, unlinked: counts.licensed - counts.linked }
}
