/**
 * @module Erasing a tenant from its regional database, for its offboarding: the statements of
 * its first step (status, every key revoked, every instance disabled), bounded deletes of its
 * rows table by table, its progress, and at last its tenant row.
 */
import { and, eq, getTableName, isNull, sql } from 'drizzle-orm'
import type { Db, Statement } from '../db'
import {
  adminInvitations,
  adminSessions,
  agentMerges,
  agents,
  deletions,
  dntEntries,
  groupMembers,
  groups,
  history,
  instances,
  roles,
  scimKeys,
  tenantAdmins,
  tenants,
  userValues,
  users,
  type OffboardingProgress,
} from '../schema'

/**
 * Every table that holds a tenant's rows (all but `tenants`), in the order they are erased:
 * console sessions first, so nobody is signed in while the data goes; children before their
 * parents (memberships and values before users and groups), so no delete cascades beyond its
 * own bound.
 */
export const ERASE_ORDER: readonly string[] = [
  adminSessions,
  adminInvitations,
  scimKeys,
  groupMembers,
  userValues,
  users,
  groups,
  agentMerges,
  agents,
  dntEntries,
  deletions,
  roles,
  history,
  instances,
  tenantAdmins,
].map((t) => getTableName(t))

/**
 * The first step, one batch: the tenant is `offboarding`, every live key revoked (SCIM and
 * agent calls answer 401 from now on) and every instance disabled (the cron starts no sync).
 */
export function beginOffboardingStatements(
  db: Db,
  tenantId: string,
  progress: OffboardingProgress
): Statement[] {
  const at = progress.requestedAt
  return [
    db
      .update(tenants)
      .set({ status: 'offboarding', offboarding: progress })
      .where(eq(tenants.id, tenantId)),
    db
      .update(scimKeys)
      .set({ revokedAt: at })
      .where(and(eq(scimKeys.tenantId, tenantId), isNull(scimKeys.revokedAt))),
    db
      .update(instances)
      .set({ enabled: false, updatedAt: at })
      .where(eq(instances.tenantId, tenantId)),
  ]
}

/**
 * Deletes up to `limit` of the tenant's rows from `table` (one of {@link ERASE_ORDER}); returns
 * how many. By rowid through the table's tenant-leading index: one bounded statement whatever
 * the table's size.
 */
export async function eraseRows(
  db: Db,
  table: string,
  tenantId: string,
  limit: number
): Promise<number> {
  if (!ERASE_ORDER.includes(table)) throw new Error(`Not a tenant table: ${table}`)
  const t = sql.identifier(table)
  const res = await db.run(
    sql`DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE tenant_id = ${tenantId} LIMIT ${limit})`
  )
  return res.meta.changes
}

export async function saveOffboardingProgress(
  db: Db,
  tenantId: string,
  progress: OffboardingProgress
): Promise<void> {
  await db.update(tenants).set({ offboarding: progress }).where(eq(tenants.id, tenantId)).run()
}

/**
 * The last step. Anything written behind the erasure (a key or an instance an operator added
 * meanwhile) goes with it: every tenant table references `tenants` ON DELETE CASCADE, directly
 * or through its user or group.
 */
export async function deleteTenantRow(db: Db, tenantId: string): Promise<void> {
  await db.delete(tenants).where(eq(tenants.id, tenantId)).run()
}
