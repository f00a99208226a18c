/**
 * @module Where each SCIM attribute lives in SQL, per resource type. The filter compiler asks
 * this table first: the attributes IdPs match on before every create (userName, externalId,
 * employeeNumber, emails, displayName) map to indexed `*_ci` columns or the indexed
 * `user_values` table; everything else falls back to JSON functions over the stored document.
 */
import type { AttributeDef, ResolvedPath } from '../../scim/schemas/attribute'

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** A scalar stored in a column of the resource row; `folded` columns hold lowercased text. */
interface ColumnTarget {
  kind: 'column'
  column: string
  folded: boolean
  type: AttributeDef['type']
}

/** A multi-valued attribute copied into `user_values`, one row per element. */
interface ValuesTarget {
  kind: 'values'
  attr: string
}

/** Group membership, queried through `group_members` from either side. */
interface MembershipTarget {
  kind: 'membership'
  /** The column holding the resource's own id and the one holding the other side's id. */
  selfColumn: 'user_id' | 'group_id'
  otherColumn: 'user_id' | 'group_id'
}

export type Target = ColumnTarget | ValuesTarget | MembershipTarget

export interface ResourceTable {
  table: 'users' | 'groups'
  alias: 'u' | 'g'
  /** Returns the special storage of an attribute, or undefined for "JSON in `data`". */
  target(path: ResolvedPath): Target | undefined
}

const column = (name: string, folded: boolean, type: AttributeDef['type']): ColumnTarget => ({
  kind: 'column',
  column: name,
  folded,
  type,
})

/** Targets shared by both resource types: id, externalId and the meta timestamps. */
function commonTarget(alias: string, path: ResolvedPath): Target | undefined {
  const name = path.attr.name
  if (name === 'id') return column(`${alias}.id`, false, 'string')
  if (name === 'externalId') return column(`${alias}.external_id_ci`, true, 'string')
  if (name === 'meta' && path.sub?.name === 'created')
    return column(`${alias}.created_at`, false, 'dateTime')
  if (name === 'meta' && path.sub?.name === 'lastModified') {
    return column(`${alias}.updated_at`, false, 'dateTime')
  }
  return undefined
}

/** Multi-valued user attributes mirrored into `user_values` (see storage/repos/user-values.ts). */
export const INDEXED_USER_VALUES: Readonly<Record<string, string>> = {
  'urn:ietf:params:scim:schemas:core:2.0:User:emails': 'emails',
  'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User:userPrincipalNames':
    'userPrincipalNames',
}

/** A resource's table: the shared columns first, then the targets only this resource has. */
function resourceTable(
  table: ResourceTable['table'],
  alias: ResourceTable['alias'],
  own: (path: ResolvedPath) => Target | undefined
): ResourceTable {
  return { table, alias, target: (path) => commonTarget(alias, path) ?? own(path) }
}

export const USER_TABLE = resourceTable('users', 'u', (path) => {
  const key = `${path.schema}:${path.attr.name}`
  const indexed = INDEXED_USER_VALUES[key]
  if (indexed !== undefined) return { kind: 'values', attr: indexed }
  if (key === 'urn:ietf:params:scim:schemas:core:2.0:User:groups') {
    return { kind: 'membership', selfColumn: 'user_id', otherColumn: 'group_id' }
  }
  if (path.sub) return undefined
  switch (key) {
    case 'urn:ietf:params:scim:schemas:core:2.0:User:userName':
      return column('u.user_name_ci', true, 'string')
    case 'urn:ietf:params:scim:schemas:core:2.0:User:displayName':
      return column('u.display_name_ci', true, 'string')
    case 'urn:ietf:params:scim:schemas:core:2.0:User:active':
      return column('u.active', false, 'boolean')
    case `${ENTERPRISE_USER}:employeeNumber`:
      return column('u.employee_number_ci', true, 'string')
    default:
      return undefined
  }
})

export const GROUP_TABLE = resourceTable('groups', 'g', (path) => {
  if (path.sub) return path.attr.name === 'members' ? membersTarget : undefined
  if (path.attr.name === 'displayName') return column('g.display_name_ci', true, 'string')
  if (path.attr.name === 'members') return membersTarget
  return undefined
})

const membersTarget: MembershipTarget = {
  kind: 'membership',
  selfColumn: 'group_id',
  otherColumn: 'user_id',
}
