/**
 * @module The reads that warm what the tenant's object remembers before it prepares a group of
 * writes: the groups they touch with their members, the users they patch, and which member ids
 * are users (or, in a small tenant, every user id), as five statements of one batch (one D1
 * round trip for the whole group); in a tenant with agents what linking reads for the user
 * creates among them (./link-context.ts), and in a tenant whose groups carry roles what
 * recomputing their members' roles reads (./role-context.ts), in the same batch.
 */
import { col, ReadBatch, type Read, type ReadRow } from '../read-batch'
import { dbOver } from '../db'
import { roleContextReads } from './role-context'
import type { MembershipFactRow } from './groups'
import type { RoleState } from './users'
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
  /** What recomputing roles reads for the users asked for, if any were. */
  roles?: { facts: MembershipFactRow[]; states: RoleState[] }
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

/** What else the warm-up reads in the same batch, when asked. */
export interface WriteStateExtras {
  /** What agent linking reads for these identifiers. */
  links?: LinkContextQuery
  /** What recomputing these users' roles reads (at most JSON_LIST_MAX). */
  roleUsers?: readonly string[]
}

/**
 * Reads the state in one round trip; a group's members are cut at `limits.members`. What
 * `extras` asks for travels in the same batch.
 */
export async function readWriteState(
  d1: D1Database,
  tenantId: string,
  ids: WriteStateIds,
  limits: WriteStateLimits,
  extras: WriteStateExtras = {}
): Promise<WriteState> {
  const json = (list: readonly string[]) => JSON.stringify(list)
  const userIdList = (r: ReadRow[]) => r.map((row) => col.text(row, 'id'))
  const batch = new ReadBatch()
  const groups = batch.add(
    rows(
      `SELECT ${RESOURCE_COLUMNS}, role_id FROM groups WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.groups)],
      (r) =>
        r.map((row): GroupResource => ({
          ...fromReadRow(row),
          roleId: col.textOrNull(row, 'role_id'),
        }))
    )
  )
  const members = batch.add(
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
    )
  )
  const users = batch.add(
    rows(
      `SELECT ${RESOURCE_COLUMNS} FROM users WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.users)],
      (r) => r.map(fromReadRow)
    )
  )
  const existing = batch.add(
    rows(
      `SELECT id FROM users WHERE tenant_id = ? AND ${inList('id')}`,
      [tenantId, json(ids.maybeUsers)],
      userIdList
    )
  )
  const allUserIds = batch.add(
    rows(
      `SELECT id FROM users WHERE tenant_id = ? LIMIT ?`,
      [tenantId, limits.allUserIds],
      userIdList
    )
  )
  const context = extras.links && linkContextReads(tenantId, extras.links.sets, extras.links.limit)
  const links = context && {
    agents: batch.add(context.reads[0]),
    gone: batch.add(context.reads[1]),
    users: batch.add(context.reads[2]),
  }
  const roleReads =
    extras.roleUsers?.length && roleContextReads(dbOver(d1), tenantId, extras.roleUsers)
  const roles = roleReads && { facts: batch.add(roleReads[0]), states: batch.add(roleReads[1]) }
  await batch.run(d1)
  return {
    groups: groups(),
    members: members(),
    users: users(),
    existing: existing(),
    allUserIds: allUserIds(),
    ...(context && links
      ? { links: context.combine(links.agents(), links.gone(), links.users()) }
      : {}),
    ...(roles ? { roles: { facts: roles.facts(), states: roles.states() } } : {}),
  }
}
