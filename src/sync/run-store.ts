/**
 * @module The pull sync's run records in the tenant Durable Object's own SQLite storage: every
 * run's state while it runs and its report afterwards, read back for the schedule (the latest
 * run of each instance, failed runs waiting for their retry) and for the admin API.
 */
import { z } from 'zod'
import { jsonColumn, parseStoredRows, type StoredRow } from '../storage/tenant-object/rows'
import type { SyncRun } from './report'
import { syncRunSchema } from './run-schema'

const TABLE = 'sync_runs'
const runRow = z.object({ id: z.string(), report: jsonColumn(syncRunSchema) })
const idRow = z.object({ id: z.string() })

/** The latest run of each instance (on a tie of started_at, the greater, i.e. later, id). */
const LATEST = `SELECT id, report FROM sync_runs r WHERE NOT EXISTS (
  SELECT 1 FROM sync_runs n WHERE n.instance_id = r.instance_id
    AND (n.started_at > r.started_at OR (n.started_at = r.started_at AND n.id > r.id)))`

export class SyncRunStore {
  readonly #sql: SqlStorage

  /** The object's storage, already migrated (src/storage/tenant-object/migrate.ts). */
  constructor(storage: DurableObjectStorage) {
    this.#sql = storage.sql
  }

  #runs(query: string, ...params: SqlStorageValue[]): SyncRun[] {
    const rows = this.#sql.exec<StoredRow>(query, ...params).toArray()
    return parseStoredRows(TABLE, runRow, ['id'], rows).map((r) => r.report)
  }

  save(run: SyncRun): void {
    this.#sql.exec(
      'INSERT OR REPLACE INTO sync_runs (id, instance_id, started_at, finished_at, status, report) VALUES (?, ?, ?, ?, ?, ?)',
      run.id,
      run.instanceId,
      run.startedAt,
      run.finishedAt,
      run.status,
      JSON.stringify(run)
    )
  }

  /** An instance's runs, newest first. */
  list(instanceId: string, limit: number): SyncRun[] {
    return this.#runs(
      'SELECT id, report FROM sync_runs WHERE instance_id = ? ORDER BY started_at DESC, id DESC LIMIT ?',
      instanceId,
      limit
    )
  }

  /** Runs still in progress, oldest first. */
  active(): SyncRun[] {
    return this.#runs(
      "SELECT id, report FROM sync_runs WHERE status = 'running' ORDER BY started_at, id"
    )
  }

  latest(instanceId: string): SyncRun | undefined {
    return this.list(instanceId, 1)[0]
  }

  /** Failed runs, each its instance's latest, whose retry is still to come. */
  awaitingRetry(): SyncRun[] {
    return this.#runs(
      `${LATEST} AND r.status = 'failed' AND json_extract(r.report, '$.retryAt') IS NOT NULL`
    )
  }

  /** How many of an instance's latest runs (before `runId`) failed in a row, up to `max`. */
  failuresBefore(instanceId: string, runId: string, max: number): number {
    const recent = this.list(instanceId, max + 1).filter((r) => r.id !== runId)
    const firstOther = recent.findIndex((r) => r.status !== 'failed')
    return Math.min(max, firstOther === -1 ? recent.length : firstOther)
  }

  /** Removes an instance's runs; answers their ids (the instance was deleted). */
  forgetInstance(instanceId: string): string[] {
    const rows = this.#sql
      .exec<StoredRow>('DELETE FROM sync_runs WHERE instance_id = ? RETURNING id', instanceId)
      .toArray()
    return parseStoredRows(TABLE, idRow, ['id'], rows).map((r) => r.id)
  }
}
