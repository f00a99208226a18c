/**
 * @module Tenants and their SCIM keys in a regional database: reads, and the statements the
 * configuration services batch inside the tenant's Durable Object (no write runs from here).
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Tenant } from '../../model/tenant'
import type { Db, Statement } from '../db'
import { scimKeys, tenants } from '../schema'

export type KeyRow = typeof scimKeys.$inferSelect

export const insertTenantStatement = (db: Db, tenant: Tenant): Statement =>
  db.insert(tenants).values(tenant)

/** A tenant as stored: with its status and, while it is being offboarded, the progress. */
export type TenantRecord = typeof tenants.$inferSelect

export async function getTenant(db: Db, id: string): Promise<TenantRecord | undefined> {
  return db.select().from(tenants).where(eq(tenants.id, id)).get()
}

export async function listTenants(db: Db): Promise<TenantRecord[]> {
  return db.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id)).all()
}

export async function getKey(db: Db, id: string): Promise<KeyRow | undefined> {
  return db.select().from(scimKeys).where(eq(scimKeys.id, id)).get()
}

/** A tenant's keys, or only those of one instance. */
export async function listKeys(db: Db, tenantId: string, instanceId?: string): Promise<KeyRow[]> {
  const scope = instanceId === undefined ? undefined : eq(scimKeys.instanceId, instanceId)
  return db
    .select()
    .from(scimKeys)
    .where(and(eq(scimKeys.tenantId, tenantId), scope))
    .orderBy(asc(scimKeys.createdAt), asc(scimKeys.id))
    .all()
}

const liveKey = (tenantId: string, id: string) =>
  and(eq(scimKeys.tenantId, tenantId), eq(scimKeys.id, id), isNull(scimKeys.revokedAt))

/** Revokes a live key: its token answers 401 from then on. */
export const revokeKeyStatement = (db: Db, tenantId: string, id: string, at: string): Statement =>
  db.update(scimKeys).set({ revokedAt: at }).where(liveKey(tenantId, id))

/** Swaps a live key's secret; the old token stops working at once. */
export const replaceKeySecretStatement = (
  db: Db,
  tenantId: string,
  id: string,
  secretHash: string
): Statement => db.update(scimKeys).set({ secretHash }).where(liveKey(tenantId, id))

export async function touchKey(db: Db, id: string, at: string): Promise<void> {
  await db.update(scimKeys).set({ lastUsedAt: at }).where(eq(scimKeys.id, id)).run()
}

export function updateRoleSettingsStatement(
  db: Db,
  id: string,
  set: Partial<Pick<Tenant, 'roleMode' | 'defaultRoleId'>>
): Statement {
  return db.update(tenants).set(set).where(eq(tenants.id, id))
}

export const insertKeyStatement = (db: Db, key: KeyRow): Statement =>
  db.insert(scimKeys).values(key)
