/**
 * @module The reads that warm what the tenant's object remembers before it prepares a group of
 * writes: the groups they touch with their members, the users they patch, and which member ids
 * are users (or, in a small tenant, every user id), as five statements of one batch (one D1
 * round trip for the whole group), and in a tenant with agents what linking reads for the user
 * creates among them (./link-context.ts, three more statements of the same batch).
 */
import { col, runReads, type Read, type ReadRow } from '../read-batch'
import { RESOURCE_COLUMNS, fromReadRow } from './documents'
import type { GroupResource } from './groups'
import type { StoredResource } from '../../model/resource'
import type { IdentifierSets } from './agents'
import { linkContextReads, type LinkContextRows } from './link-context'

/** The ids to read; each list stays within one JSON parameter. */
export interface WriteStateIds {
  groups: readonly string[]
  users: readonly string[]
  maybeUsers: readonly string[]
}

export interface WriteState {
  /** What agent linking reads for the identifiers asked for, if any were. */
  links?: LinkContextRows
  groups: GroupResource[]
  /** Each group's member ids, at most `memberLimit` of them. */
  members: Map<string, string[]>
  users: StoredResource[]
  /** The ids of `maybeUsers` that are users of the tenant. */
  existing: string[]
  /** Every user id of the tenant, when asked for, up to the limit asked (empty otherwise). */
  allUserIds: string[]
}

/** How much to read: a group's members at most, and every user id up to a limit (0: none). */
export interface WriteStateLimits {
  members: number
  allUserIds: number
}

const inList = (column: string) => `${column} IN (SELECT value FROM json_each(?))`

const rows = <T>(sql: string, params: Read<T>['params'], map: (r: ReadRow[]) => T): Read<T> => ({
  sql,
  params,
  map,
})

/** Identifiers whose linking context to read as well, with it at most `limit` rows per list. */
export interface LinkContextQuery {
  sets: IdentifierSets
  limit: number
}

/**
 * Reads the state in one round trip; a group's members are cut at `limits.members`. With
 * `links`, what agent linking reads for those identifiers travels in the same batch.
 */
export async function readWriteState(
  d1: D1Database,
  tenantId: string,
  ids: WriteStateIds,
  limits: WriteStateLimits,
  links?: LinkContextQuery
): Promise<WriteState> {
  const json = (list: readonly string[]) => JSON.stringify(list)
  const userIdList = (r: ReadRow[]) => r.map((row) => col.text(row, 'id'))
  const state = [
    rows(
      `SELECT ${RESOURCE_COLUMNS}, role_id FROM groups WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.groups)],
      (r) =>
        r.map((row): GroupResource => ({
          ...fromReadRow(row),
          roleId: col.textOrNull(row, 'role_id'),
        }))
    ),
    rows(
      `SELECT group_id, user_id FROM (SELECT group_id, user_id, row_number() OVER (PARTITION BY group_id) AS n
         FROM group_members WHERE tenant_id = ? AND ${inList('group_id')}) WHERE n <= ?`,
      [tenantId, json(ids.groups), limits.members],
      (r) => {
        const out = new Map<string, string[]>()
        for (const row of r) {
          const group = col.text(row, 'group_id')
          out.set(group, [...(out.get(group) ?? []), col.text(row, 'user_id')])
        }
        return out
      }
    ),
    rows(
      `SELECT ${RESOURCE_COLUMNS} FROM users WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.users)],
      (r) => r.map(fromReadRow)
    ),
    rows(
      `SELECT id FROM users WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.maybeUsers)],
      userIdList
    ),
    rows(
      `SELECT id FROM users WHERE tenant_id = ? LIMIT ?`,
      [tenantId, limits.allUserIds],
      userIdList
    ),
  ] as const
  const context = links && linkContextReads(tenantId, links.sets, links.limit)
  const values = context
    ? await runReads(d1, [...state, ...context.reads] as const)
    : await runReads(d1, state)
  const [groups, members, users, existing, allUserIds] = values
  return {
    groups,
    members,
    users,
    existing,
    allUserIds,
    ...(context && values.length === 8
      ? { links: context.combine(values[5], values[6], values[7]) }
      : {}),
  }
}
