/**
 * @module Provisioning history rows: bulk insert as one statement per few hundred rows (through
 * json_each, so no bound-parameter limit), cursor-paged reads per tenant and per user, and
 * retention pruning by id (UUIDv7 ids are time-ordered).
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm'
import { chunk } from '../chunk'
import { rawStatement, type Db, type Statement } from '../db'
import { history } from '../schema'

export type HistoryRow = typeof history.$inferSelect

/** Rows per INSERT … SELECT FROM json_each statement; a row is a few hundred bytes of JSON. */
const ROWS_PER_STATEMENT = 200

export function historyStatements(rows: readonly HistoryRow[]): Statement[] {
  return chunk(rows, ROWS_PER_STATEMENT).map((part) =>
    rawStatement(sql`INSERT INTO history
      (tenant_id, id, at, actor, instance_id, key_id, request_id, op, resource_type, resource_id, user_id, changes)
      SELECT json_extract(value, '$.tenantId'), json_extract(value, '$.id'), json_extract(value, '$.at'),
             json_extract(value, '$.actor'), json_extract(value, '$.instanceId'), json_extract(value, '$.keyId'),
             json_extract(value, '$.requestId'), json_extract(value, '$.op'), json_extract(value, '$.resourceType'),
             json_extract(value, '$.resourceId'), json_extract(value, '$.userId'), json_extract(value, '$.changes')
      FROM json_each(${JSON.stringify(part)})`)
  )
}

export interface HistoryPageQuery {
  tenantId: string
  userId?: string
  /** Return entries older than this id (the previous page's last id). */
  before?: string
  limit: number
}

/** Newest first. */
export async function historyPage(db: Db, q: HistoryPageQuery): Promise<HistoryRow[]> {
  const conditions = [eq(history.tenantId, q.tenantId)]
  if (q.userId !== undefined) conditions.push(eq(history.userId, q.userId))
  if (q.before !== undefined) conditions.push(lt(history.id, q.before))
  return db
    .select()
    .from(history)
    .where(and(...conditions))
    .orderBy(desc(history.id))
    .limit(q.limit)
    .all()
}

/** Deletes up to `limit` entries of a tenant older than `cutoffId`; returns how many. */
export async function pruneHistory(db: Db, tenantId: string, cutoffId: string, limit: number): Promise<number> {
  const res = await db.run(sql`DELETE FROM history WHERE tenant_id = ${tenantId} AND id IN
    (SELECT id FROM history WHERE tenant_id = ${tenantId} AND id < ${cutoffId} ORDER BY id LIMIT ${limit})`)
  return res.meta.changes
}

export async function countHistory(db: Db, tenantId: string): Promise<number> {
  const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM history WHERE tenant_id = ${tenantId}`)
  return row?.n ?? 0
}
