/**
 * @module Deletion records in a regional database: the statements that record and update them, the purge's and the verification's reads, paged lists, and what remains of a deleted user.
 */
import { and, asc, desc, eq, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { jsonValues } from '../chunk'
import type { Db, Statement } from '../db'
import { agents, deletions, dntEntries, groupMembers, userValues, users } from '../schema'
import { DELETED_EXTERNAL_ID, DELETED_USER_NAME } from '../schema/deletions'

export type DeletionRow = typeof deletions.$inferSelect

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
  // Requested order, as the tenant-and-status index has it: ordered by id, SQLite would walk
  // every deletion of the tenant by primary key rather than sort the few pending ones.
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
    .orderBy(asc(deletions.requestedAt), asc(deletions.id))
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

interface DeletionsListOptions {
  status?: DeletionRow['status']
  before?: string
  limit: number
}

/** A page of the tenant's deletions, newest first, unexecuted (exported for its plan test). */
export function deletionsListQuery(db: Db, tenantId: string, opts: DeletionsListOptions) {
  const conditions = [eq(deletions.tenantId, tenantId)]
  if (opts.status !== undefined) conditions.push(eq(deletions.status, opts.status))
  if (opts.before !== undefined) conditions.push(lt(deletions.id, opts.before))
  return db
    .select()
    .from(deletions)
    .where(and(...conditions))
    .orderBy(desc(deletions.id))
    .limit(opts.limit)
}

export const listDeletions = (
  db: Db,
  tenantId: string,
  opts: DeletionsListOptions
): Promise<DeletionRow[]> => deletionsListQuery(db, tenantId, opts).all()

/**
 * Which of these externalIds and userNames a deleted user of the tenant had: a user deleted once
 * is not made again only to be deleted again. UserNames compare as SQLite's `lower()` folds them
 * (ASCII letters only), on both sides, so the expression index serves the lookup and a name with
 * letters beyond ASCII still finds itself. Each list is looked up from its own index (an OR of
 * the two would walk every deletion of the tenant).
 */
export async function deletedIdentifiers(
  db: Db,
  tenantId: string,
  externalIds: readonly string[],
  userNames: readonly string[]
): Promise<{ externalIds: Set<string>; userNames: Set<string> }> {
  const found = { externalIds: new Set<string>(), userNames: new Set<string>() }
  if (externalIds.length + userNames.length === 0) return found
  const given = (kind: keyof typeof found, values: readonly string[], matches: SQL) =>
    sql`SELECT ${kind} AS kind, j.value AS value FROM ${jsonValues(values)} j
      WHERE EXISTS (SELECT 1 FROM deletions WHERE tenant_id = ${tenantId} AND ${matches})`
  const rows = await db.all<{ kind: keyof typeof found; value: string }>(
    sql`${given('externalIds', externalIds, sql`${DELETED_EXTERNAL_ID} = j.value`)} UNION ALL ${given(
      'userNames',
      userNames,
      sql`${DELETED_USER_NAME} = lower(j.value)`
    )}`
  )
  for (const { kind, value } of rows) found[kind].add(value)
  return found
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
