/**
 * @module Splitting lists for statements under D1's limit of 100 bound parameters, and
 * passing long lists as one JSON parameter instead.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from './db'

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

/**
 * Which of `ids` the tenant's `table` holds, looked up by primary key in lists of
 * `JSON_LIST_MAX` ids (one statement per list, whatever the table).
 */
export async function existingIds(
  db: Db,
  table: SQLiteTable & { tenantId: SQLiteColumn; id: SQLiteColumn },
  tenantId: string,
  ids: readonly string[]
): Promise<Set<string>> {
  const found = new Set<string>()
  for (const part of chunk(ids, JSON_LIST_MAX)) {
    const rows = await db
      .select({ id: sql<string>`${table.id}` })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), inArray(table.id, jsonValues(part))))
      .all()
    for (const r of rows) found.add(r.id)
  }
  return found
}
