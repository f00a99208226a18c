/**
 * @module Picks a region's D1 database and wraps it in drizzle. The region always comes from the
 * tenant id or the SCIM token, never from a lookup, so a request can only reach its own region.
 * Writes are built as statements (drizzle queries or raw SQL) and executed together as one
 * atomic D1 batch, which also reports how many rows the batch wrote.
 */
import type { SQL } from 'drizzle-orm'
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import { logError } from '../lib/log'
import type { Region } from '../model/tenant'

/** drizzle over one region's D1, keeping the D1 client for compiled queries (`allRows`). */
export type Db = DrizzleD1Database & { $client: D1Database }

export interface RegionDatabases {
  DB_US: D1Database
  DB_EU: D1Database
}

export function regionD1(env: RegionDatabases, region: Region): D1Database {
  return region === 'eu' ? env.DB_EU : env.DB_US
}

export function regionDb(env: RegionDatabases, region: Region): Db {
  return dbOver(regionD1(env, region))
}

/** drizzle over a D1 binding (or a stand-in for one). */
export const dbOver = (d1: D1Database): Db => drizzle(d1)

/** Runs a compiled query (filter, sort, page) that drizzle's builder cannot express. */
export async function allRows<T>(
  d1: D1Database,
  sql: string,
  params: readonly unknown[]
): Promise<T[]> {
  const result = await d1
    .prepare(sql)
    .bind(...params)
    .all<T>()
  return result.results
}

/**
 * One statement of a write's batch: any drizzle query builder, or raw SQL through
 * `rawStatement`. A read that travels with the write (`readInBatch`) has `answer`, given the
 * rows it returned once the batch has committed.
 */
export interface Statement {
  toSQL(): { sql: string; params: unknown[] }
  answer?(rows: Record<string, unknown>[]): void
}

const dialect = new SQLiteSyncDialect()

/** A raw SQL write (e.g. INSERT … SELECT FROM json_each) as a batchable statement. */
export const rawStatement = (query: SQL): Statement => ({
  toSQL: () => {
    const q = dialect.sqlToQuery(query)
    return { sql: q.sql, params: q.params }
  },
})

/**
 * Executes statements as one D1 batch: all or nothing (D1 runs a batch as one transaction).
 * Returns the number of rows written, as D1 meters them.
 */
export async function executeBatch(
  d1: D1Database,
  statements: readonly Statement[]
): Promise<number> {
  if (statements.length === 0) return 0
  const prepared = statements.map((s) => {
    const q = s.toSQL()
    return d1.prepare(q.sql).bind(...q.params)
  })
  const results = await d1.batch<Record<string, unknown>>(prepared)
  // The batch committed: a read that cannot hand its rows back must not pass for a refusal.
  statements.forEach((s, i) => {
    try {
      s.answer?.(results[i]?.results ?? [])
    } catch (error) {
      logError(error, { job: 'batch-read' })
    }
  })
  return results.reduce((sum, r) => sum + r.meta.rows_written, 0)
}
