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

/**
 * Where each chunk of rows starts, given each row's JSON text: the texts of a chunk, joined as
 * one array, stay under the statement size (a row larger than that is a chunk alone).
 */
function chunkStarts(texts: readonly string[]): number[] {
  const starts: number[] = []
  // The first row starts a chunk whatever its size.
  let size = Infinity
  texts.forEach((text, i) => {
    if (size + text.length + 1 > MAX_JSON_BYTES) {
      starts.push(i)
      size = 2
    }
    size += text.length + 1
  })
  return starts
}

/** How many statements `insertJsonTexts` makes of these rows' JSON texts. */
export const jsonChunkCount = (texts: readonly string[]): number => chunkStarts(texts).length

/** Rows' JSON texts as JSON arrays, each under the statement size. */
export function jsonChunks(texts: readonly string[]): string[] {
  const starts = chunkStarts(texts)
  return starts.map((start, k) => `[${texts.slice(start, starts[k + 1]).join(',')}]`)
}

/**
 * Inserts rows, given as the JSON texts of objects keyed by column name, into `table`. `suffix`
 * is an ON CONFLICT clause. Table and column names come from this codebase only, never from
 * input.
 */
export function insertJsonTexts(
  table: string,
  columns: readonly string[],
  texts: readonly string[],
  suffix = ''
): Statement[] {
  const extracts = columns.map((c) => `json_extract(value, '$.${c}')`).join(', ')
  return jsonChunks(texts).map((part) =>
    rawStatement(
      sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(', '))}) SELECT ${sql.raw(extracts)} FROM json_each(${part}) WHERE true ${sql.raw(suffix)}`
    )
  )
}

/** Inserts rows keyed by column name into `table` (see `insertJsonTexts`). */
export const insertJsonRows = (
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, JsonValue>[],
  suffix = ''
): Statement[] =>
  insertJsonTexts(
    table,
    columns,
    rows.map((r) => JSON.stringify(r)),
    suffix
  )

/** `ON CONFLICT (key) DO UPDATE SET c = excluded.c, …` for the given columns. */
export const upsertSuffix = (key: readonly string[], update: readonly string[]): string =>
  `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`
