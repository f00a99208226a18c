/**
 * @module Splitting lists for statements under D1's limit of 100 bound parameters, and
 * passing long lists as one JSON parameter instead.
 */
import { sql, type SQL } from 'drizzle-orm'

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * A list of values as one bound parameter, for `col IN (SELECT value FROM json_each(?))`: no
 * 100-parameter limit, one prepared statement whatever the list's length. Keep lists under a
 * few thousand short values (D1's 100 KB statement limit covers bound values too).
 */
/** Most ids to pass in one `jsonValues` list (36-character UUIDs stay far below 100 KB). */
export const JSON_LIST_MAX = 1000

export const jsonValues = (values: readonly string[]): SQL =>
  sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`
