/**
 * @module What differs between the Users and Groups endpoints: storage table, schema, the
 * write commands, the PATCH status, and the relation each one shows (a user's `groups`, a
 * group's `members`), loaded only when the projection asks for it.
 */
import type { StoredResource } from '../../domain/resource'
import { splitSchemaPrefix } from '../../scim/filter/attr-path'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolverFor } from '../../scim/schemas'
import type { Resolver } from '../../scim/schemas/attribute'
import type { Db } from '../../storage/db'
import { GROUP_TABLE, USER_TABLE, type ResourceTable } from '../../storage/filter-sql/targets'
import {
  getGroup,
  groupsOfUsers,
  membersOfGroups,
  type MemberRef,
} from '../../storage/repos/groups'
import { getUser } from '../../storage/repos/users'
import type { WriteCommand } from '../../tenant-do/commands'

export interface Projection {
  attributes: string[]
  excludedAttributes: string[]
}

type ResourceType = typeof USER_RESOURCE_TYPE | typeof GROUP_RESOURCE_TYPE

export interface ResourceKind {
  name: 'User' | 'Group'
  endpoint: '/Users' | '/Groups'
  resourceType: ResourceType
  table: ResourceTable
  resolve: Resolver
  ops: {
    create: Extract<WriteCommand['op'], `create${string}`>
    replace: Extract<WriteCommand['op'], `replace${string}`>
    patch: Extract<WriteCommand['op'], `patch${string}`>
    delete: Extract<WriteCommand['op'], `delete${string}`>
  }
  patchStatus: 200 | 204
  get(db: Db, tenantId: string, id: string): Promise<StoredResource | undefined>
  /** Attributes held outside the document, keyed by resource id. */
  extras(
    db: Db,
    tenantId: string,
    items: StoredResource[],
    p: Projection
  ): Promise<Map<string, Record<string, unknown>>>
}

/**
 * Whether a projection returns a top-level attribute (RFC 7644 §3.9). Excluding a
 * sub-attribute (`members.display`) still returns the attribute.
 */
export function wantsAttribute(p: Projection, name: string): boolean {
  const lower = name.toLowerCase()
  const unqualified = (a: string) => (splitSchemaPrefix(a)?.rest ?? a).toLowerCase()
  const top = (a: string) => unqualified(a).split('.')[0]
  if (p.attributes.length > 0) return p.attributes.some((a) => top(a) === lower)
  return !p.excludedAttributes.some((a) => unqualified(a) === lower)
}

function relation(
  name: string,
  load: (db: Db, tenantId: string, ids: string[]) => Promise<Map<string, MemberRef[]>>
) {
  return async (db: Db, tenantId: string, items: StoredResource[], p: Projection) => {
    const out = new Map<string, Record<string, unknown>>()
    if (items.length === 0 || !wantsAttribute(p, name)) return out
    const refs = await load(
      db,
      tenantId,
      items.map((r) => r.id)
    )
    for (const [id, list] of refs) {
      out.set(id, {
        [name]: list.map((m) => ({
          value: m.value,
          ...(m.display !== null ? { display: m.display } : {}),
        })),
      })
    }
    return out
  }
}

export const USERS: ResourceKind = {
  name: 'User',
  endpoint: '/Users',
  resourceType: USER_RESOURCE_TYPE,
  table: USER_TABLE,
  resolve: resolverFor(USER_RESOURCE_TYPE),
  ops: { create: 'createUser', replace: 'replaceUser', patch: 'patchUser', delete: 'deleteUser' },
  patchStatus: 200,
  get: getUser,
  extras: relation('groups', groupsOfUsers),
}

export const GROUPS: ResourceKind = {
  name: 'Group',
  endpoint: '/Groups',
  resourceType: GROUP_RESOURCE_TYPE,
  table: GROUP_TABLE,
  resolve: resolverFor(GROUP_RESOURCE_TYPE),
  ops: {
    create: 'createGroup',
    replace: 'replaceGroup',
    patch: 'patchGroup',
    delete: 'deleteGroup',
  },
  patchStatus: 204,
  get: getGroup,
  extras: relation('members', membersOfGroups),
}
