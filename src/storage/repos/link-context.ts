/**
 * @module What agent linking reads for a set of identifiers, as three statements that travel in
 * the tenant object's warm-up batch (one round trip for a group of user creates, see
 * ../../domain/link-snapshot.ts): the tenant's active agents reporting any of the identifiers,
 * which of the users those agents are linked to are gone, and the users matching any identifier
 * of those agents. Each statement is an index lookup per identifier (`agentIdsMatching`,
 * `userIdsMatching`); each is cut at `limit` rows, and a cut answer is reported as incomplete.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { StoredResource } from '../../model/resource'
import { rawStatement } from '../db'
import { col, readOf, type Read, type ReadRow } from '../read-batch'
import { agents } from '../schema'
import {
  AGENT_COLUMNS,
  agentIdsMatching,
  listSources,
  type AgentRow,
  type IdentifierSets,
} from './agents'
import { RESOURCE_COLUMNS, fromReadRow } from './documents'
import { userIdsMatching } from './users'

export interface LinkContextRows {
  /** Active agents reporting any of the identifiers. */
  agents: AgentRow[]
  /** Users those agents are linked to whose row is gone (deleted, not purged yet). */
  gone: string[]
  /** Users any of whose linking identifiers is one of those agents' identifiers. */
  users: StoredResource[]
  /** False when a list reached the limit: the rows are then not all there are. */
  complete: boolean
}

const AGENT_SELECT = sql.raw(AGENT_COLUMNS.join(', '))

/** `v` if it is one of the column's enum values, else `fallback`. */
const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T | null) =>
  values.find((e) => e === v) ?? fallback

/** An agent from a row of AGENT_COLUMNS. */
function agentFromRow(row: ReadRow): AgentRow {
  const text = (name: string) => col.text(row, name)
  const textOrNull = (name: string) => col.textOrNull(row, name)
  return {
    tenantId: text('tenant_id'),
    id: text('id'),
    logonName: text('logon_name'),
    domain: text('domain'),
    email: textOrNull('email'),
    upn: textOrNull('upn'),
    employeeId: textOrNull('employee_id'),
    emailCi: textOrNull('email_ci'),
    upnCi: textOrNull('upn_ci'),
    employeeIdCi: textOrNull('employee_id_ci'),
    lastSeen: text('last_seen'),
    userId: textOrNull('user_id'),
    linkRule: oneOf(agents.linkRule.enumValues, textOrNull('link_rule'), null),
    state: oneOf(agents.state.enumValues, text('state'), 'active') ?? 'active',
    removedAt: textOrNull('removed_at'),
    mergedInto: textOrNull('merged_into'),
    mergeId: textOrNull('merge_id'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  }
}

const read = <T>(query: SQL, map: (rows: ReadRow[]) => T): Read<T> =>
  readOf(rawStatement(query), map)

/**
 * The three reads for `sets`, at most `limit` rows each; undefined when the sets are empty.
 * `combine` turns their values into the context.
 */
export function linkContextReads(
  tenantId: string,
  sets: IdentifierSets,
  limit: number
):
  | {
      reads: readonly [Read<AgentRow[]>, Read<string[]>, Read<StoredResource[]>]
      combine(agents: AgentRow[], gone: string[], users: StoredResource[]): LinkContextRows
    }
  | undefined {
  const matching = agentIdsMatching(tenantId, listSources(sets))
  if (!matching) return undefined
  const active = sql`tenant_id = ${tenantId} AND state = 'active' AND id IN ${matching}`
  const ofAgents = (column: string) => sql`(SELECT ${sql.raw(column)} FROM reported)`
  const users = userIdsMatching(tenantId, {
    upns: ofAgents('upn_ci'),
    emails: ofAgents('email_ci'),
    employeeIds: ofAgents('employee_id_ci'),
  })
  if (!users) return undefined
  return {
    reads: [
      read(sql`SELECT ${AGENT_SELECT} FROM agents WHERE ${active} LIMIT ${limit + 1}`, (rows) =>
        rows.map(agentFromRow)
      ),
      read(
        sql`SELECT DISTINCT user_id AS id FROM agents AS a WHERE ${active} AND user_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.tenant_id = a.tenant_id AND u.id = a.user_id)
          LIMIT ${limit + 1}`,
        (rows) => rows.map((r) => col.text(r, 'id'))
      ),
      read(
        // The agents' identifiers are read once (`reported`) for the four lookups; the statement
        // starts with SELECT, as a read does.
        sql`SELECT ${sql.raw(RESOURCE_COLUMNS)} FROM users WHERE tenant_id = ${tenantId} AND id IN (
          WITH reported AS MATERIALIZED (SELECT upn_ci, email_ci, employee_id_ci FROM agents WHERE ${active})
          SELECT id FROM ${users}) LIMIT ${limit + 1}`,
        (rows) => rows.map(fromReadRow)
      ),
    ],
    combine: (agents, gone, found) => ({
      agents: agents.slice(0, limit),
      gone,
      users: found.slice(0, limit),
      complete: Math.max(agents.length, gone.length, found.length) <= limit,
    }),
  }
}
