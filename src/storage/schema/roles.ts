/** @module Roles (group-roles mode): the roles groups carry and users hold. */
import { primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { tenantRef } from './tenants'

export const roles = sqliteTable(
  'roles',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    nameCi: text('name_ci').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('roles_name').on(t.tenantId, t.nameCi),
  ]
)
