/**
 * @module The reads that warm what the tenant's object remembers before it prepares a group of
 * writes: the groups they touch with their members, the users they patch, and which member ids
 * are users (or, in a small tenant, every user id), as five statements of one batch (one D1
 * round trip for the whole group).
 */
import { col, runReads, type Read, type ReadRow } from '../read-batch'
import { RESOURCE_COLUMNS, fromReadRow } from './documents'
import type { GroupResource } from './groups'
import type { StoredResource } from '../../model/resource'

/** The ids to read; each list stays within one JSON parameter. */
export interface WriteStateIds {
  groups: readonly string[]
  users: readonly string[]
  maybeUsers: readonly string[]
}

export interface WriteState {
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

/** Reads the state in one round trip; a group's members are cut at `limits.members`. */
export async function readWriteState(
  d1: D1Database,
  tenantId: string,
  ids: WriteStateIds,
  limits: WriteStateLimits
): Promise<WriteState> {
  const json = (list: readonly string[]) => JSON.stringify(list)
  const userIdList = (r: ReadRow[]) => r.map((row) => col.text(row, 'id'))
  const [groups, members, users, existing, allUserIds] = await runReads(d1, [
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
  ])
  return { groups, members, users, existing, allUserIds }
}
