/**
 * @module Bulk writes as `INSERT … SELECT … FROM json_each(?)`: the rows travel as one JSON
 * parameter, so a statement carries hundreds of rows regardless of D1's 100-bound-parameter
 * limit, and a large write is a handful of statements instead of one per row. Statements are
 * cut to stay well below D1's 100 KB statement size.
 */
import { sql } from 'drizzle-orm'
import { rawStatement, type Statement } from './db'

export type JsonValue = string | number | null

/** Bytes of JSON per statement: D1 accepts about 100 KB per statement, bound values included. */
const MAX_JSON_BYTES = 90_000

/** Splits rows into chunks whose JSON stays under the statement size. */
export function jsonChunks<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = []
  let current: T[] = []
  let size = 2
  for (const row of rows) {
    const bytes = JSON.stringify(row).length + 1
    if (current.length > 0 && size + bytes > MAX_JSON_BYTES) {
      chunks.push(current)
      current = []
      size = 2
    }
    current.push(row)
    size += bytes
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/**
 * Inserts rows keyed by column name into `table`. `suffix` is an ON CONFLICT clause. Table and
 * column names come from this codebase only, never from input.
 */
export function insertJsonRows(
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, JsonValue>[],
  suffix = ''
): Statement[] {
  const extracts = columns.map((c) => `json_extract(value, '$.${c}')`).join(', ')
  return jsonChunks(rows).map((part) =>
    rawStatement(
      sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(', '))}) SELECT ${sql.raw(extracts)} FROM json_each(${JSON.stringify(part)}) WHERE true ${sql.raw(suffix)}`
    )
  )
}

/** `ON CONFLICT (key) DO UPDATE SET c = excluded.c, …` for the given columns. */
export const upsertSuffix = (key: readonly string[], update: readonly string[]): string =>
  `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`
