/**
 * @module Do Not Track entries in a regional database: by user or agent, by id, paged lists, and the statements that add or remove one.
 */
import { and, asc, eq, gt } from 'drizzle-orm'
import type { Db, Statement } from '../db'
import { dntEntries } from '../schema'

export type DntRow = typeof dntEntries.$inferSelect

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
