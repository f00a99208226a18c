/**
 * @module What differs between the Users and Groups endpoints: storage table, schema, the
 * tenant object's write methods, the PATCH status, and the relation each one shows (a user's `groups`, a
 * group's `members`), read only when the projection asks for it, in the same D1 batch as the
 * resources it belongs to.
 */
import { splitSchemaPrefix } from '../../scim/filter/attr-path'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolverFor } from '../../scim/schemas'
import type { Resolver } from '../../scim/schemas/attribute'
import type { ResourceTypeDef } from '../../scim/schemas/resource-types'
import type { SqlFragment } from '../../storage/filter-sql/compare'
import { GROUP_TABLE, USER_TABLE, type ResourceTable } from '../../storage/filter-sql/targets'
import type { Read, TenantScope } from '../../storage/read-batch'
import {
  groupsColumn,
  groupsOfUsersRead,
  membersOfGroupsRead,
  type Relation,
} from '../../storage/repos/relations'
import type { WrittenUser } from '../../domain/users'
import type { Envelope, Outcome } from '../../tenant-do/commands'
import type { TenantWriterStub } from '../../tenant-do/client'

export interface Projection {
  attributes: string[]
  excludedAttributes: string[]
}

export interface ResourceKind {
  name: 'User' | 'Group'
  endpoint: '/Users' | '/Groups'
  resourceType: ResourceTypeDef
  table: ResourceTable
  resolve: Resolver
  /** The tenant object's typed methods for this kind's writes. */
  writes: ResourceWrites
  patchStatus: 200 | 204
  relation: {
    /** The attribute it is shown as. */
    name: 'groups' | 'members'
    /** The relation of the resources `ids` selects. */
    read(tenant: TenantScope, ids: SqlFragment): Read<Relation>
    /**
     * The relation as one more column of the resource's own row (its table's alias), when it is
     * small enough to fold: a read of resources and their relation is then one statement.
     */
    column?: (alias: string) => string
    /**
     * Whether this kind's writes change it: a group's members do, and are read after the write;
     * a user's groups change only through group writes, and a user's replace or patch brings
     * them back from its own batch.
     */
    changedByWrites: boolean
  }
}

/** A written resource: a user's replace or patch carries its groups (any other write, none). */
type Written = Promise<Outcome<WrittenUser>>

/** A kind's four writes, each one call of the tenant object's typed method. */
interface ResourceWrites {
  create(w: TenantWriterStub, e: Envelope, body: unknown): Written
  replace(w: TenantWriterStub, e: Envelope, id: string, body: unknown, ifMatch?: string): Written
  patch(w: TenantWriterStub, e: Envelope, id: string, body: unknown, ifMatch?: string): Written
  delete(w: TenantWriterStub, e: Envelope, id: string, ifMatch?: string): Promise<Outcome<null>>
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

/** The relation as the attribute the resource shows, keyed by resource id (RFC 7643 §4). */
export function relationAttributes(
  name: string,
  relation: Relation
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>()
  for (const [id, list] of relation) {
    out.set(id, {
      [name]: list.map((m) => ({
        value: m.value,
        ...(m.display !== null ? { display: m.display } : {}),
      })),
    })
  }
  return out
}

export const USERS: ResourceKind = {
  name: 'User',
  endpoint: '/Users',
  resourceType: USER_RESOURCE_TYPE,
  table: USER_TABLE,
  resolve: resolverFor(USER_RESOURCE_TYPE),
  writes: {
    create: (w, e, body) => w.createUser(e, body),
    replace: (w, e, id, body, ifMatch) => w.replaceUser(e, id, body, ifMatch),
    patch: (w, e, id, body, ifMatch) => w.patchUser(e, id, body, ifMatch),
    delete: (w, e, id, ifMatch) => w.deleteUser(e, id, ifMatch),
  },
  patchStatus: 200,
  relation: {
    name: 'groups',
    read: groupsOfUsersRead,
    column: groupsColumn,
    changedByWrites: false,
  },
}

export const GROUPS: ResourceKind = {
  name: 'Group',
  endpoint: '/Groups',
  resourceType: GROUP_RESOURCE_TYPE,
  table: GROUP_TABLE,
  resolve: resolverFor(GROUP_RESOURCE_TYPE),
  writes: {
    create: (w, e, body) => w.createGroup(e, body),
    replace: (w, e, id, body, ifMatch) => w.replaceGroup(e, id, body, ifMatch),
    patch: (w, e, id, body, ifMatch) => w.patchGroup(e, id, body, ifMatch),
    delete: (w, e, id, ifMatch) => w.deleteGroup(e, id, ifMatch),
  },
  patchStatus: 204,
  relation: { name: 'members', read: membersOfGroupsRead, changedByWrites: true },
}
