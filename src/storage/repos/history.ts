/**
 * @module Provisioning history rows: bulk insert (a few statements for any number of rows, see
 * json-rows.ts) and retention pruning by id (UUIDv7 ids are time-ordered). The filtered reads
 * are in history-query.ts.
 */
import { sql } from 'drizzle-orm'
import { executeBatch, type Db, type Statement } from '../db'
import { logError } from '../../lib/log'
import { insertJsonTexts } from '../json-rows'
import type { history } from '../schema'

export type HistoryRow = typeof history.$inferSelect

const COLUMNS = [
  'tenant_id',
  'id',
  'at',
  'actor',
  'actor_id',
  'actor_name',
  'instance_id',
  'key_id',
  'request_id',
  'op',
  'resource_type',
  'resource_id',
  'user_id',
  'changes',
] as const

/** History rows as the JSON texts the insert takes (one object per row, keyed by column). */
export const historyJson = (rows: readonly HistoryRow[]): string[] =>
  rows.map((r) =>
    JSON.stringify({
      tenant_id: r.tenantId,
      id: r.id,
      at: r.at,
      actor: r.actor,
      actor_id: r.actorId,
      actor_name: r.actorName,
      instance_id: r.instanceId,
      key_id: r.keyId,
      request_id: r.requestId,
      op: r.op,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      user_id: r.userId,
      changes: r.changes,
    })
  )

/** Inserts history rows given as `historyJson` texts: a few statements for any number. */
const insertHistory = (json: readonly string[]): Statement[] =>
  insertJsonTexts('history', COLUMNS, json)

/**
 * Whether a batch D1 answered with an error committed all the same: D1 runs a batch as one
 * transaction, so it did if the first of its history rows (`historyJson` texts) is there. False
 * when it has none, or when D1 cannot be asked either.
 */
async function committedAnyway(d1: D1Database, json: readonly string[]): Promise<boolean> {
  const [first] = json
  if (first === undefined) return false
  const { tenant_id: tenantId, id } = JSON.parse(first) as { tenant_id: string; id: string }
  try {
    const found = await d1
      .prepare('SELECT 1 FROM history WHERE tenant_id = ? AND id = ?')
      .bind(tenantId, id)
      .first()
    return found !== null
  } catch {
    return false
  }
}

/**
 * Commits statements and then history rows (`historyJson` texts) as one D1 batch; returns the
 * rows written. D1 can lose a batch's answer after committing it ("Network connection lost"): if
 * the batch's first history row is there, it counts as committed (run again, a create would find
 * its own user and fail), `answerLost` hears the error, and the statements that hand rows back
 * (`answer`) read them again, as they would have inside the batch. Otherwise the error is thrown.
 */
export async function commitWithHistory(
  d1: D1Database,
  statements: readonly Statement[],
  json: readonly string[],
  answerLost: (error: unknown) => void
): Promise<number> {
  try {
    return await executeBatch(d1, [...statements, ...insertHistory(json)])
  } catch (error) {
    if (!(await committedAnyway(d1, json))) throw error
    answerLost(error)
    try {
      await executeBatch(
        d1,
        statements.filter((s) => s.answer !== undefined)
      )
    } catch (reread) {
      // Committed all the same: the answer only lacks what these reads add.
      logError(reread, { job: 'batch-read' })
    }
    return 0
  }
}

/** Deletes up to `limit` entries of a tenant older than `cutoffId`; returns how many. */
export async function pruneHistory(
  db: Db,
  tenantId: string,
  cutoffId: string,
  limit: number
): Promise<number> {
  const res = await db.run(sql`DELETE FROM history WHERE tenant_id = ${tenantId} AND id IN
    (SELECT id FROM history WHERE tenant_id = ${tenantId} AND id < ${cutoffId} ORDER BY id LIMIT ${limit})`)
  return res.meta.changes
}
