/**
 * @module Reading rows back from a tenant Durable Object's own SQLite storage. Every row is
 * parsed, JSON columns included: a row written by older code in a shape this code no longer
 * reads, or a damaged one, is an error naming its table and key, never silently wrong data.
 */
import { z } from 'zod'

/** A row as `SqlStorage.exec` answers it. */
export type StoredRow = Record<string, SqlStorageValue>

/** A stored row that does not have the shape this code reads. */
export class StoredRowError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
    detail: string
  ) {
    super(`The tenant object's ${table} row ${key} cannot be read: ${detail}`)
    this.name = 'StoredRowError'
  }
}

/** A TEXT column holding JSON, parsed, then read with `schema`. */
export function jsonColumn<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text)
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' })
        return z.NEVER
      }
    })
    .pipe(schema)
}

const describe = (value: SqlStorageValue | undefined): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : value instanceof ArrayBuffer
      ? `a BLOB of ${value.byteLength} bytes`
      : String(value)

/**
 * Parses the rows of `table` with `schema`; `keyColumns` (selected with the row) name a row
 * that does not parse.
 */
export function parseStoredRows<S extends z.ZodType>(
  table: string,
  schema: S,
  keyColumns: readonly string[],
  rows: readonly StoredRow[]
): z.output<S>[] {
  return rows.map((row) => {
    const result = schema.safeParse(row)
    if (result.success) return result.data
    const key = keyColumns.map((c) => `${c}=${describe(row[c])}`).join(' ')
    // One line: the message also lands in a run report's errors.
    throw new StoredRowError(table, key, z.prettifyError(result.error).replace(/\n\s*/g, ' '))
  })
}
