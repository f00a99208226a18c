/**
 * @module The groups list of the admin API and the console: a tenant's groups ordered by
 * displayName (case-insensitively), optionally only those whose displayName starts with a
 * prefix, each with its user and agent member counts and the role it carries. One query per
 * page, walking the `(tenant_id, display_name_ci)` index.
 */
import { GROUP_RESOURCE_TYPE, resolverFor } from '../../scim/schemas'
import { allRows, type Db } from '../db'
import type { SqlFragment, SqlParam } from '../filter-sql/compare'
import { compileFilter } from '../filter-sql/compile'
import { tenantIs } from '../read-batch'
import { GROUP_TABLE } from '../filter-sql/targets'
import { decodeKeyCursor, keyPage, type Page, type PageInput } from '../page'
import { memberCountsSql } from './views'

export interface GroupListQuery extends PageInput {
  /** Only groups whose displayName starts with this, case-insensitively. */
  q?: string | undefined
}

export interface GroupListRow {
  id: string
  displayName: string
  externalId: string | null
  /** Member users. */
  userCount: number
  /** Active agents of member users: each one is a member of its own. */
  agentCount: number
  /** The role the group carries (group-roles mode); `name` is null for a role since deleted. */
  role: { id: string; name: string | null } | null
  createdAt: string
  updatedAt: string
}

interface RawGroupRow {
  id: string
  displayName: string
  externalId: string | null
  userCount: number
  agentCount: number
  roleId: string | null
  roleName: string | null
  createdAt: string
  updatedAt: string
  sortKey: string
}

const counts = memberCountsSql('g')

const COLUMNS = [
  'g.id AS id',
  `json_extract(g.data, '$.displayName') AS displayName`,
  `json_extract(g.data, '$.externalId') AS externalId`,
  `${counts.users} AS userCount`,
  `${counts.agents} AS agentCount`,
  'g.role_id AS roleId',
  'r.name AS roleName',
  'g.created_at AS createdAt',
  'g.updated_at AS updatedAt',
  'g.display_name_ci AS sortKey',
].join(', ')

/** The page query (exported for its query-plan test): `limit + 1` rows after the cursor. */
export function buildGroupListQuery(tenantId: string, query: GroupListQuery): SqlFragment {
  const where = ['g.tenant_id = ?']
  const params: SqlParam[] = [tenantId]
  if (query.q !== undefined && query.q !== '') {
    const prefix = compileFilter(
      { kind: 'compare', path: { name: 'displayName' }, op: 'sw', value: query.q },
      { tenant: tenantIs(tenantId), resolve: resolverFor(GROUP_RESOURCE_TYPE), table: GROUP_TABLE }
    )
    where.push(prefix.sql)
    params.push(...prefix.params)
  }
  if (query.cursor !== undefined) {
    where.push('g.display_name_ci > ?')
    params.push(decodeKeyCursor(query.cursor))
  }
  return {
    sql: `SELECT ${COLUMNS} FROM groups g LEFT JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id WHERE ${where.join(' AND ')} ORDER BY g.display_name_ci LIMIT ?`,
    params: [...params, query.limit + 1],
  }
}

const toRow = ({ roleId, roleName, sortKey: _, ...r }: RawGroupRow): GroupListRow => ({
  ...r,
  role: roleId === null ? null : { id: roleId, name: roleName },
})

/** A page of the tenant's groups by displayName, with member counts and role. */
export async function listGroups(
  db: Db,
  tenantId: string,
  query: GroupListQuery
): Promise<Page<GroupListRow>> {
  const q = buildGroupListQuery(tenantId, query)
  return keyPage(await allRows<RawGroupRow>(db.$client, q.sql, q.params), query.limit, toRow)
}
