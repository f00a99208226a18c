/**
 * @module What recomputing users' roles reads (their memberships with each group's role, and
 * their stored role), as two statements that travel in the tenant object's warm-up batch, for
 * the members a group of queued writes names (see ../../domain/role-snapshot.ts). The same
 * queries as the live reads (`membershipFacts`, `roleStates`).
 */
import type { Db } from '../db'
import { col, readOf, type Read, type ReadRow } from '../read-batch'
import { membershipFactsQuery, type MembershipFactRow } from './groups'
import { roleStatesQuery, type RoleState } from './users'

const fact = (row: ReadRow): MembershipFactRow => ({
  userId: col.text(row, 'user_id'),
  groupId: col.text(row, 'group_id'),
  joinedAt: col.text(row, 'created_at'),
  roleId: col.textOrNull(row, 'role_id'),
})

const state = (row: ReadRow): RoleState => ({
  id: col.text(row, 'id'),
  roleId: col.textOrNull(row, 'role_id'),
  roleGroupId: col.textOrNull(row, 'role_group_id'),
})

/** The two reads for these users (at most JSON_LIST_MAX of them; none reads nothing). */
export function roleContextReads(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): readonly [Read<MembershipFactRow[]>, Read<RoleState[]>] {
  return [
    readOf(membershipFactsQuery(db, tenantId, userIds), (rows) => rows.map(fact)),
    readOf(roleStatesQuery(db, tenantId, userIds), (rows) => rows.map(state)),
  ]
}
