/**
 * @module The users list of the admin API and the console: per user what a list page shows
 * (userName, displayName, primary email, employeeNumber, state, agents and merged agents, DNT,
 * effective role with its name), ordered by userName case-insensitively, optionally only users
 * whose userName, displayName, any email or employeeNumber starts with a search text. One query
 * per page: the role names, agent counts and DNT flag are key lookups joined into the same query.
 */
import { roleSource, type RoleMode } from '../../directory/effective-role'
import type { AttrPath, Filter } from '../../scim/filter/ast'
import { USER_RESOURCE_TYPE, resolverFor } from '../../scim/schemas'
import { allRows, type Db } from '../db'
import type { SqlFragment, SqlParam } from '../filter-sql/compare'
import { compileScopedOr } from '../filter-sql/compile'
import { tenantIs } from '../read-batch'
import { ENTERPRISE_USER, USER_TABLE } from '../filter-sql/targets'
import { decodeKeyCursor, keyPage, type Page, type PageInput } from '../page'

type UserState = 'active' | 'suspended'

export interface UserListQuery extends PageInput {
  /** Users whose userName, displayName, any email or employeeNumber starts with this. */
  q?: string | undefined
  state?: UserState | undefined
}

/** A user's effective role and where it comes from; `name` is null for a role since deleted. */
export interface UserRoleView {
  kind: 'default' | 'group-role' | 'group'
  id: string
  name: string | null
  viaGroupId: string | null
}

export interface UserListRow {
  id: string
  userName: string
  displayName: string | null
  /** The email marked primary, else the first one. */
  primaryEmail: string | null
  employeeNumber: string | null
  active: boolean
  /**
   * Agents on the user-agent list (each holds a license and a group membership): agents merged
   * into another are not among them, so a merge counts once, as groups and licenses count it.
   */
  agentCount: number
  /** Agents merged into another agent of the user (counted once, through it). */
  mergedAgentCount: number
  doNotTrack: boolean
  role: UserRoleView | null
}

interface RawUserRow extends Omit<UserListRow, 'active' | 'doNotTrack' | 'role'> {
  active: number
  dnt: number
  roleId: string | null
  roleGroupId: string | null
  roleMode: RoleMode
  defaultRoleId: string | null
  roleName: string | null
  defaultRoleName: string | null
  roleGroupName: string | null
  sortKey: string
}

const COLUMNS = [
  'u.id AS id',
  `json_extract(u.data, '$.userName') AS userName`,
  `json_extract(u.data, '$.displayName') AS displayName`,
  `(SELECT json_extract(e.value, '$.value') FROM json_each(u.data, '$.emails') e ORDER BY coalesce(json_extract(e.value, '$.primary'), 0) DESC, e.key LIMIT 1) AS primaryEmail`,
  `CAST(json_extract(u.data, '$."${ENTERPRISE_USER}".employeeNumber') AS TEXT) AS employeeNumber`,
  'u.active AS active',
  `(SELECT count(*) FROM agents a WHERE a.tenant_id = u.tenant_id AND a.user_id = u.id AND a.state = 'active') AS agentCount`,
  `(SELECT count(*) FROM agents a WHERE a.tenant_id = u.tenant_id AND a.user_id = u.id AND a.state = 'merged') AS mergedAgentCount`,
  'EXISTS (SELECT 1 FROM dnt_entries d WHERE d.tenant_id = u.tenant_id AND d.user_id = u.id) AS dnt',
  'u.role_id AS roleId',
  'u.role_group_id AS roleGroupId',
  't.role_mode AS roleMode',
  't.default_role_id AS defaultRoleId',
  'rr.name AS roleName',
  'dr.name AS defaultRoleName',
  `json_extract(rg.data, '$.displayName') AS roleGroupName`,
  'u.user_name_ci AS sortKey',
].join(', ')

// Every candidate role name is a primary-key lookup; the row decides which one applies.
const FROM = `FROM users u JOIN tenants t ON t.id = u.tenant_id
 LEFT JOIN roles dr ON dr.tenant_id = u.tenant_id AND dr.id = t.default_role_id
 LEFT JOIN roles rr ON rr.tenant_id = u.tenant_id AND rr.id = u.role_id
 LEFT JOIN groups rg ON rg.tenant_id = u.tenant_id AND rg.id = u.role_group_id`

/** `userName sw q or displayName sw q or emails.value sw q or employeeNumber sw q`. */
export function userSearchFilter(q: string): Filter {
  const paths: AttrPath[] = [
    { name: 'userName' },
    { name: 'displayName' },
    { name: 'emails', sub: 'value' },
    { urn: ENTERPRISE_USER, name: 'employeeNumber' },
  ]
  return paths
    .map((path): Filter => ({ kind: 'compare', path, op: 'sw', value: q }))
    .reduce((left, right) => ({ kind: 'or', left, right }))
}

/**
 * The page query (exported for its query-plan test). A search is the tenant-scoped branches of
 * {@link userSearchFilter}, each an index range; the state and the cursor are then written
 * `+column`, which SQLite never uses to pick an index, so neither can turn the search into a
 * walk of the userName index. A plain list walks the userName index from the cursor.
 */
export function buildUserListQuery(tenantId: string, query: UserListQuery): SqlFragment {
  const where: string[] = []
  const params: SqlParam[] = []
  const add = (sql: string, ...values: SqlParam[]) => {
    where.push(sql)
    params.push(...values)
  }
  const search = query.q !== undefined && query.q !== ''
  if (search) {
    const ctx = {
      tenant: tenantIs(tenantId),
      resolve: resolverFor(USER_RESOURCE_TYPE),
      table: USER_TABLE,
    }
    const branches = compileScopedOr(userSearchFilter(query.q ?? ''), ctx)
    add(branches.sql, ...branches.params)
  } else {
    add('u.tenant_id = ?', tenantId)
  }
  const residual = search ? '+' : ''
  if (query.state !== undefined) add(`${residual}u.active = ?`, query.state === 'active' ? 1 : 0)
  if (query.cursor !== undefined)
    add(`${residual}u.user_name_ci > ?`, decodeKeyCursor(query.cursor))
  return {
    sql: `SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY u.user_name_ci LIMIT ?`,
    params: [...params, query.limit + 1],
  }
}

function roleView(r: RawUserRow): UserRoleView | null {
  const source = roleSource(
    { roleId: r.roleId, viaGroupId: r.roleGroupId },
    { roleMode: r.roleMode, defaultRoleId: r.defaultRoleId }
  )
  switch (source?.kind) {
    case undefined:
      return null
    case 'default':
      return { kind: 'default', id: source.roleId, name: r.defaultRoleName, viaGroupId: null }
    case 'group-role':
      return {
        kind: 'group-role',
        id: source.roleId,
        name: r.roleName,
        viaGroupId: source.viaGroupId,
      }
    case 'group':
      return {
        kind: 'group',
        id: source.groupId,
        name: r.roleGroupName,
        viaGroupId: source.groupId,
      }
  }
}

const toRow = (r: RawUserRow): UserListRow => ({
  id: r.id,
  userName: r.userName,
  displayName: r.displayName,
  primaryEmail: r.primaryEmail,
  employeeNumber: r.employeeNumber,
  active: r.active === 1,
  agentCount: r.agentCount,
  mergedAgentCount: r.mergedAgentCount,
  doNotTrack: r.dnt === 1,
  role: roleView(r),
})

/** A page of the tenant's users by userName, optionally searched and filtered by state. */
export async function listUsers(
  db: Db,
  tenantId: string,
  query: UserListQuery
): Promise<Page<UserListRow>> {
  const q = buildUserListQuery(tenantId, query)
  return keyPage(await allRows<RawUserRow>(db.$client, q.sql, q.params), query.limit, toRow)
}

/** One user as the list shows it (the user page adds groups and agents). */
export async function getUserListRow(
  db: Db,
  tenantId: string,
  id: string
): Promise<UserListRow | undefined> {
  const [row] = await allRows<RawUserRow>(
    db.$client,
    `SELECT ${COLUMNS} ${FROM} WHERE u.tenant_id = ? AND u.id = ?`,
    [tenantId, id]
  )
  return row ? toRow(row) : undefined
}
