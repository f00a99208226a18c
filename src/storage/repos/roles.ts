/**
 * @module Roles in a regional database: lists, pages by name, lookups by id, the statements that add or remove one, and the groups that carry a role.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import { jsonValues } from '../chunk'
import type { Db, Statement } from '../db'
import { decodeKeyCursor, encodeKeyCursor, pageOf, type Page, type PageInput } from '../page'
import { groups, roles } from '../schema'

export type RoleRow = typeof roles.$inferSelect

export async function listRoles(db: Db, tenantId: string): Promise<RoleRow[]> {
  return db
    .select()
    .from(roles)
    .where(eq(roles.tenantId, tenantId))
    .orderBy(asc(roles.nameCi))
    .all()
}

/** A page of the tenant's roles by name (case-insensitively). */
export async function rolesPage(
  db: Db,
  tenantId: string,
  query: PageInput
): Promise<Page<RoleRow>> {
  const conditions = [eq(roles.tenantId, tenantId)]
  if (query.cursor !== undefined) conditions.push(gt(roles.nameCi, decodeKeyCursor(query.cursor)))
  const rows = await db
    .select()
    .from(roles)
    .where(and(...conditions))
    .orderBy(asc(roles.nameCi))
    .limit(query.limit + 1)
    .all()
  return pageOf(rows, query.limit, (r) => encodeKeyCursor(r.nameCi))
}

export async function rolesByIds(
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<RoleRow[]> {
  if (ids.length === 0) return []
  return db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), inArray(roles.id, jsonValues(ids))))
    .all()
}

export const insertRoleStatement = (db: Db, row: RoleRow): Statement => db.insert(roles).values(row)

export const deleteRoleStatement = (db: Db, tenantId: string, id: string): Statement =>
  db.delete(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))

/** How many groups carry a role, with the displayNames of the first `sample` of them. */
export async function groupsCarryingRole(
  db: Db,
  tenantId: string,
  roleId: string,
  sample: number
): Promise<{ total: number; names: string[] }> {
  // The partial groups_role index holds only groups carrying a role: only the carriers are read.
  const rows = await db
    .select({
      name: sql<string>`json_extract(${groups.data}, '$.displayName')`,
      total: sql<number>`count(*) OVER ()`,
    })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.roleId, roleId)))
    .orderBy(asc(groups.displayNameCi))
    .limit(sample)
    .all()
  return { total: rows[0]?.total ?? 0, names: rows.map((r) => r.name) }
}
