/**
 * @module Do Not Track entries, deletion records and roles in a regional database.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { jsonValues } from '../chunk'
import type { Db, Statement } from '../db'
import { decodeKeyCursor, encodeKeyCursor, pageOf, type Page, type PageInput } from '../page'
import {
  agents,
  deletions,
  dntEntries,
  groupMembers,
  groups,
  roles,
  userValues,
  users,
} from '../schema'

export type DntRow = typeof dntEntries.$inferSelect
export type DeletionRow = typeof deletions.$inferSelect
export type RoleRow = typeof roles.$inferSelect

export async function dntEntryOf(
  db: Db,
  tenantId: string,
  target: { userId: string } | { agentId: string }
): Promise<DntRow | undefined> {
  const where =
    'userId' in target
      ? eq(dntEntries.userId, target.userId)
      : eq(dntEntries.agentId, target.agentId)
  return db
    .select()
    .from(dntEntries)
    .where(and(eq(dntEntries.tenantId, tenantId), where))
    .get()
}

export async function getDntEntry(
  db: Db,
  tenantId: string,
  id: string
): Promise<DntRow | undefined> {
  return db
    .select()
    .from(dntEntries)
    .where(and(eq(dntEntries.tenantId, tenantId), eq(dntEntries.id, id)))
    .get()
}

export const insertDntStatement = (db: Db, row: DntRow): Statement =>
  db.insert(dntEntries).values(row).onConflictDoNothing()

export const deleteDntStatement = (db: Db, tenantId: string, id: string): Statement =>
  db.delete(dntEntries).where(and(eq(dntEntries.tenantId, tenantId), eq(dntEntries.id, id)))

export async function listDnt(
  db: Db,
  tenantId: string,
  opts: { after?: string; limit: number }
): Promise<DntRow[]> {
  const conditions = [eq(dntEntries.tenantId, tenantId)]
  if (opts.after !== undefined) conditions.push(gt(dntEntries.id, opts.after))
  return db
    .select()
    .from(dntEntries)
    .where(and(...conditions))
    .orderBy(asc(dntEntries.id))
    .limit(opts.limit)
    .all()
}

export const insertDeletionStatement = (db: Db, row: DeletionRow): Statement =>
  db.insert(deletions).values(row)

export function updateDeletionStatement(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<
    Pick<
      DeletionRow,
      'status' | 'purgedAt' | 'attempts' | 'lastCheckedAt' | 'verifiedAt' | 'reason'
    >
  >
): Statement {
  return db
    .update(deletions)
    .set(set)
    .where(and(eq(deletions.tenantId, tenantId), eq(deletions.id, id)))
}

/** Deletions whose background purge has not finished, oldest first. */
export async function unpurgedDeletions(
  db: Db,
  tenantId: string,
  limit: number
): Promise<DeletionRow[]> {
  return db
    .select()
    .from(deletions)
    .where(
      and(
        eq(deletions.tenantId, tenantId),
        isNull(deletions.purgedAt),
        eq(deletions.status, 'pending')
      )
    )
    .orderBy(asc(deletions.id))
    .limit(limit)
    .all()
}

/**
 * Pending deletions to verify: purged ones (verification follows the purge), and those
 * requested at or before `deadline` whatever their state (their time is up).
 */
const toVerify = (deadline: string) =>
  and(
    eq(deletions.status, 'pending'),
    or(isNotNull(deletions.purgedAt), lte(deletions.requestedAt, deadline))
  )

/** A tenant's deletions to verify (see toVerify), oldest first. */
export async function deletionsToVerify(
  db: Db,
  tenantId: string,
  deadline: string,
  limit: number
): Promise<DeletionRow[]> {
  return db
    .select()
    .from(deletions)
    .where(and(eq(deletions.tenantId, tenantId), toVerify(deadline)))
    .orderBy(asc(deletions.requestedAt), asc(deletions.id))
    .limit(limit)
    .all()
}

/** Tenants of this region with deletions to verify (see toVerify). */
export async function tenantsWithDeletionsToVerify(db: Db, deadline: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: deletions.tenantId })
    .from(deletions)
    .where(toVerify(deadline))
    .all()
  return rows.map((r) => r.tenantId)
}

export async function listDeletions(
  db: Db,
  tenantId: string,
  opts: { status?: DeletionRow['status']; before?: string; limit: number }
): Promise<DeletionRow[]> {
  const conditions = [eq(deletions.tenantId, tenantId)]
  if (opts.status !== undefined) conditions.push(eq(deletions.status, opts.status))
  if (opts.before !== undefined) conditions.push(lt(deletions.id, opts.before))
  return db
    .select()
    .from(deletions)
    .where(and(...conditions))
    .orderBy(desc(deletions.id))
    .limit(opts.limit)
    .all()
}

/**
 * The identifiers (externalId, lowercased userName) of deleted users that had any of these
 * externalIds or userNames: a user deleted once is not made again only to be deleted again.
 */
export async function deletedIdentifiers(
  db: Db,
  tenantId: string,
  externalIds: readonly string[],
  userNames: readonly string[]
): Promise<{ externalId: string | null; userName: string | null }[]> {
  if (externalIds.length + userNames.length === 0) return []
  const externalId = sql<string | null>`json_extract(${deletions.identifiers}, '$.externalId')`
  const userName = sql<string | null>`lower(json_extract(${deletions.identifiers}, '$.userName'))`
  return db
    .select({ externalId, userName })
    .from(deletions)
    .where(
      and(
        eq(deletions.tenantId, tenantId),
        or(
          inArray(externalId, jsonValues(externalIds)),
          inArray(userName, jsonValues(userNames.map((n) => n.toLowerCase())))
        )
      )
    )
    .all()
}

export interface Leftovers {
  userRow: number
  memberships: number
  values: number
  agentLinks: number
  dntEntry: number
}

/** What remains of a deleted user: everything must be 0 except the DNT entry, which must exist. */
export async function deletionLeftovers(
  db: Db,
  tenantId: string,
  userId: string
): Promise<Leftovers> {
  const count = (
    table:
      typeof users | typeof groupMembers | typeof userValues | typeof agents | typeof dntEntries,
    column: string
  ) =>
    sql<number>`(SELECT count(*) FROM ${table} WHERE tenant_id = ${tenantId} AND ${sql.identifier(column)} = ${userId})`
  const row = await db
    .select({
      userRow: count(users, 'id'),
      memberships: count(groupMembers, 'user_id'),
      values: count(userValues, 'user_id'),
      agentLinks: count(agents, 'user_id'),
      dntEntry: count(dntEntries, 'user_id'),
    })
    .from(sql`(SELECT 1)`)
    .get()
  return row ?? { userRow: 0, memberships: 0, values: 0, agentLinks: 0, dntEntry: 0 }
}

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
