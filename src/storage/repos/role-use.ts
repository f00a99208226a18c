/**
 * @module How much a tenant's roles are used: for each role, how many groups carry it (what the
 * console's Roles page shows, and what keeps a role from being deleted). One query for a whole
 * page of roles, answered from the partial `groups_role` index (tenant, role) alone: it never
 * reads a group row, and groups carrying no role are not in it.
 */
import { and, count, eq, inArray } from 'drizzle-orm'
import { chunk, jsonValues, JSON_LIST_MAX } from '../chunk'
import type { Db } from '../db'
import { groups } from '../schema'

/** The query counting the groups that carry each of `roleIds` (exposed for its plan test). */
export function roleUseQuery(db: Db, tenantId: string, roleIds: readonly string[]) {
  return db
    .select({ roleId: groups.roleId, groups: count() })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), inArray(groups.roleId, jsonValues(roleIds))))
    .groupBy(groups.roleId)
}

/** How many groups carry each role named; a role no group carries maps to 0. */
export async function roleUse(
  db: Db,
  tenantId: string,
  roleIds: readonly string[]
): Promise<Map<string, number>> {
  const use = new Map(roleIds.map((id) => [id, 0]))
  for (const part of chunk(roleIds, JSON_LIST_MAX)) {
    for (const row of await roleUseQuery(db, tenantId, part).all())
      if (row.roleId !== null) use.set(row.roleId, row.groups)
  }
  return use
}
