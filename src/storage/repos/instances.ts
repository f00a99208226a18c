/**
 * @module Integration instances and the keys that belong to them.
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Statement } from '../db'
import { runReads, type Read } from '../read-batch'
import { instances, scimKeys, type tenants } from '../schema'
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

/** What authenticating a request needs to know about its key. */
export interface KeyForAuth {
  id: string
  tenantId: string
  /** null when the key belongs to no instance. */
  instanceId: string | null
  scope: KeyRow['scope']
  secretHash: string
  rateLimitPerMinute: number | null
  lastUsedAt: string | null
  revokedAt: string | null
  /** null when the key belongs to no instance. */
  instanceEnabled: boolean | null
  /** `offboarding`: the tenant is being erased and none of its keys works. */
  tenantStatus: (typeof tenants.$inferSelect)['status']
}

const KEY_FOR_AUTH_SQL = `SELECT k.id, k.tenant_id, k.instance_id, k.scope, k.secret_hash,
  k.rate_limit_per_minute, k.last_used_at, k.revoked_at, i.enabled AS instance_enabled,
  t.status AS tenant_status
FROM scim_keys k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN instances i ON i.id = k.instance_id
WHERE k.id = ?`

/** The key row as stored (parsed, not trusted: an unknown scope or status fails the key). */
const KeyForAuthRow = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    instance_id: z.string().nullable(),
    scope: z.enum(['scim', 'agent']),
    secret_hash: z.string(),
    rate_limit_per_minute: z.number().nullable(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    instance_enabled: z.number().nullable(),
    tenant_status: z.enum(['active', 'offboarding']),
  })
  .transform((r): KeyForAuth => ({
    id: r.id,
    tenantId: r.tenant_id,
    instanceId: r.instance_id,
    scope: r.scope,
    secretHash: r.secret_hash,
    rateLimitPerMinute: r.rate_limit_per_minute,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    instanceEnabled: r.instance_enabled === null ? null : r.instance_enabled === 1,
    tenantStatus: r.tenant_status,
  }))

/**
 * The key, whether its instance is enabled and its tenant's status (primary keys only), as a
 * read that can travel in the same D1 batch as the request's own reads.
 */
export const keyForAuthRead = (id: string): Read<KeyForAuth | undefined> => ({
  sql: KEY_FOR_AUTH_SQL,
  params: [id],
  map: (rows) => {
    const parsed = rows[0] === undefined ? undefined : KeyForAuthRow.safeParse(rows[0])
    return parsed?.success ? parsed.data : undefined
  },
})

/** The key for authentication, read alone (one round trip). */
export async function getKeyForAuth(db: Db, id: string): Promise<KeyForAuth | undefined> {
  const [key] = await runReads(db.$client, [keyForAuthRead(id)])
  return key
}
