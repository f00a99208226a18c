/**
 * @module Integration instances and the keys that belong to them.
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Db, Statement } from '../db'
import { instances, scimKeys, tenants } from '../schema'
import type { KeyRow } from './tenants'

export type InstanceRow = typeof instances.$inferSelect

export async function getInstance(
  db: Db,
  tenantId: string,
  id: string
): Promise<InstanceRow | undefined> {
  return db
    .select()
    .from(instances)
    .where(and(eq(instances.tenantId, tenantId), eq(instances.id, id)))
    .get()
}

export async function listInstances(db: Db, tenantId: string): Promise<InstanceRow[]> {
  return db
    .select()
    .from(instances)
    .where(eq(instances.tenantId, tenantId))
    .orderBy(asc(instances.createdAt), asc(instances.id))
    .all()
}

/** Every enabled instance of a kind in this region's database (the cron's sync sweep). */
export async function enabledInstancesOfKind(
  db: Db,
  kind: InstanceRow['kind']
): Promise<InstanceRow[]> {
  return db
    .select()
    .from(instances)
    .where(and(eq(instances.kind, kind), eq(instances.enabled, true)))
    .all()
}

export const insertInstanceStatement = (db: Db, row: InstanceRow): Statement =>
  db.insert(instances).values(row)

export function updateInstanceStatement(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<
    Pick<InstanceRow, 'enabled' | 'settings' | 'secretCiphertext' | 'name' | 'nameCi' | 'updatedAt'>
  >
): Statement {
  return db
    .update(instances)
    .set(set)
    .where(and(eq(instances.tenantId, tenantId), eq(instances.id, id)))
}

export const deleteInstanceStatement = (db: Db, tenantId: string, id: string): Statement =>
  db.delete(instances).where(and(eq(instances.tenantId, tenantId), eq(instances.id, id)))

export const revokeInstanceKeysStatement = (
  db: Db,
  tenantId: string,
  instanceId: string,
  at: string
): Statement =>
  db
    .update(scimKeys)
    .set({ revokedAt: at })
    .where(
      and(
        eq(scimKeys.tenantId, tenantId),
        eq(scimKeys.instanceId, instanceId),
        isNull(scimKeys.revokedAt)
      )
    )

export interface KeyForAuth extends KeyRow {
  /** null when the key belongs to no instance. */
  instanceEnabled: boolean | null
  /** `offboarding`: the tenant is being erased and none of its keys works. */
  tenantStatus: (typeof tenants.$inferSelect)['status']
}

/**
 * The key, whether its instance is enabled and its tenant's status: one indexed read (primary
 * keys only) per authenticated request.
 */
export async function getKeyForAuth(db: Db, id: string): Promise<KeyForAuth | undefined> {
  const row = await db
    .select({ key: scimKeys, instanceEnabled: instances.enabled, tenantStatus: tenants.status })
    .from(scimKeys)
    .innerJoin(tenants, eq(tenants.id, scimKeys.tenantId))
    .leftJoin(instances, eq(instances.id, scimKeys.instanceId))
    .where(eq(scimKeys.id, id))
    .get()
  return row
    ? { ...row.key, instanceEnabled: row.instanceEnabled, tenantStatus: row.tenantStatus }
    : undefined
}
