/**
 * @module SCIM resources: users (with their indexed multi-valued attributes), groups and
 * memberships. `*_ci` columns hold the Unicode-lowercased value used for case-insensitive
 * lookups and uniqueness (RFC 7643 §4.1.1: userName is caseExact false).
 */
import { sql } from 'drizzle-orm'
import {
  foreignKey,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import { tenants } from './tenants'

export const users = sqliteTable(
  'users',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    userNameCi: text('user_name_ci').notNull(),
    externalIdCi: text('external_id_ci'),
    displayNameCi: text('display_name_ci'),
    employeeNumberCi: text('employee_number_ci'),
    active: integer('active', { mode: 'boolean' }).notNull(),
    /** The user's effective role, kept current by every membership change (see domain/roles). */
    roleId: text('role_id'),
    /** The group the effective role comes from; null when it is the tenant's default role. */
    roleGroupId: text('role_group_id'),
    /** The whole resource (ScimDocument) as JSON, without id and meta. */
    data: text('data').notNull(),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('users_user_name').on(t.tenantId, t.userNameCi),
    index('users_external_id').on(t.tenantId, t.externalIdCi),
    index('users_employee_number').on(t.tenantId, t.employeeNumberCi),
    index('users_display_name').on(t.tenantId, t.displayNameCi),
    index('users_updated').on(t.tenantId, t.updatedAt),
  ]
)

/**
 * Indexed copies of the multi-valued attributes that IdPs match on (emails,
 * activtrak userPrincipalNames), one row per value, derived from `users.data` on every write.
 */
export const userValues = sqliteTable(
  'user_values',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    attr: text('attr').notNull(),
    typeCi: text('type_ci'),
    valueCi: text('value_ci').notNull(),
    primary: integer('is_primary', { mode: 'boolean' }).notNull(),
  },
  (t) => [
    index('user_values_lookup').on(t.tenantId, t.attr, t.valueCi),
    index('user_values_user').on(t.tenantId, t.userId),
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ]
)

export const groups = sqliteTable(
  'groups',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    displayNameCi: text('display_name_ci').notNull(),
    externalIdCi: text('external_id_ci'),
    /** The role this group grants its members (group-roles mode), set by an operator. */
    roleId: text('role_id'),
    /** The resource without members, id and meta, as JSON. */
    data: text('data').notNull(),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('groups_display_name').on(t.tenantId, t.displayNameCi),
    index('groups_external_id').on(t.tenantId, t.externalIdCi),
    index('groups_updated').on(t.tenantId, t.updatedAt),
    // The groups carrying a role (its use, and why it cannot be deleted). Partial: most groups
    // carry none, and only writes that set or clear a role touch it.
    index('groups_role')
      .on(t.tenantId, t.roleId)
      .where(sql`role_id IS NOT NULL`),
  ]
)

/**
 * A user's memberships. Queries that must not walk the tenant's memberships in primary-key
 * order name it (`INDEXED BY`): the primary key covers them, so SQLite would rather walk it.
 */
export const GROUP_MEMBERS_BY_USER = 'group_members_user'

export const groupMembers = sqliteTable(
  'group_members',
  {
    tenantId: text('tenant_id').notNull(),
    groupId: text('group_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.userId] }),
    index(GROUP_MEMBERS_BY_USER).on(t.tenantId, t.userId),
    foreignKey({
      columns: [t.tenantId, t.groupId],
      foreignColumns: [groups.tenantId, groups.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ]
)
