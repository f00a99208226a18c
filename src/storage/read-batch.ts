/**
 * @module Reads that travel together: a request's reads (and its key check) are built as
 * statements and sent as ONE D1 batch, so a read request costs one round trip to the database
 * whatever it needs: the resource, its groups or members, a page with its total. A read names
 * its tenant through a `TenantScope`: a known tenant id, or the tenant of the caller's key,
 * resolved inside the same statement, which yields no rows unless the key and its secret match,
 * so the reads can travel with the key check that decides whether their result may be answered.
 */
import type { Statement } from './db'
import type { SqlParam } from './filter-sql/compare'

/** D1 binds at most 100 parameters per statement. */
export const D1_MAX_PARAMS = 100

/** The tenant a read is scoped to, as an SQL expression and its parameters. */
export interface TenantScope {
  sql: string
  params: SqlParam[]
}

/** A tenant known by id (writes, the admin API, the tenant's object). */
export const tenantIs = (tenantId: string): TenantScope => ({ sql: '?', params: [tenantId] })

/**
 * The tenant of the key `keyId` if its stored secret hash is `secretHash`, else NULL, so every
 * read scoped by it finds nothing for a wrong secret (no tenant data is read for it at all).
 * Whether the key may be used (revoked, scope, instance, tenant status) is decided in the Worker
 * from the key row read in the same batch; a read of a refused key is never answered.
 */
export const tenantOfKey = (keyId: string, secretHash: string): TenantScope => ({
  sql: '(SELECT k.tenant_id FROM scim_keys k WHERE k.id = ? AND k.secret_hash = ?)',
  params: [keyId, secretHash],
})

/** One row as D1 returns it: column name to value. */
export type ReadRow = Record<string, unknown>

/** A read statement and how its rows become its value. */
export interface Read<T> {
  sql: string
  params: readonly SqlParam[]
  map(rows: ReadRow[]): T
}

/**
 * A read from a built query (a drizzle query builder, or raw SQL through `rawStatement`), to
 * travel in a batch of reads. Its parameters are what drizzle bound: text, numbers, null.
 */
export function readOf<T>(
  query: { toSQL(): { sql: string; params: unknown[] } },
  map: (rows: ReadRow[]) => T
): Read<T> {
  const q = query.toSQL()
  return { sql: q.sql, params: q.params as SqlParam[], map }
}

/** The values of a tuple of reads, in order. */
export type ReadValues<R extends readonly Read<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never
}

/** Runs reads as one D1 batch (one round trip) and maps each one's rows. */
export async function runReads<const R extends readonly Read<unknown>[]>(
  d1: D1Database,
  reads: R
): Promise<ReadValues<R>> {
  if (reads.length === 0) return mapped(reads, [])
  const statements = reads.map((r) => d1.prepare(r.sql).bind(...r.params))
  const results = await d1.batch<ReadRow>(statements)
  return mapped(
    reads,
    results.map((r) => r.results)
  )
}

/**
 * Reads gathered one by one, some only when asked for, then run as one batch: `add` answers a
 * getter for the read's value, valid once `run` has resolved.
 */
export class ReadBatch {
  readonly #reads: Read<unknown>[] = []
  #values: readonly unknown[] | undefined

  add<T>(read: Read<T>): () => T {
    const at = this.#reads.push(read) - 1
    return () => {
      if (!this.#values) throw new Error('A batched read was used before its batch ran')
      // The value at `at` is `read.map`'s, so of type T.
      return this.#values[at] as T
    }
  }

  async run(d1: D1Database): Promise<void> {
    this.#values = await runReads(d1, this.#reads)
  }
}

function mapped<R extends readonly Read<unknown>[]>(reads: R, rows: ReadRow[][]): ReadValues<R> {
  const values: unknown[] = reads.map((r, i) => r.map(rows[i] ?? []))
  // The tuple type follows from `reads`: each value is its own read's `map` result.
  return values as ReadValues<R>
}

/**
 * A read that travels in a write's batch (after the write's own statements, so it sees them):
 * `receive` gets its value once the batch has committed; a batch refused answers nothing.
 */
export function readInBatch<T>(read: Read<T>, receive: (value: T) => void): Statement {
  return {
    toSQL: () => ({ sql: read.sql, params: [...read.params] }),
    answer: (rows) => {
      receive(read.map(rows))
    },
  }
}

/** A read of one row, or undefined when there is none. */
export function readOne<T>(sql: string, params: readonly SqlParam[], map: (row: ReadRow) => T) {
  return {
    sql,
    params,
    map: (rows: ReadRow[]) => (rows[0] === undefined ? undefined : map(rows[0])),
  } satisfies Read<T | undefined>
}

/** A number read where text is expected, as text; nothing else D1 returns has a text form. */
const scalarText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : ''

/** Typed accessors for a D1 row's columns (D1 returns TEXT as string, INTEGER as number). */
export const col = {
  text: (row: ReadRow, name: string): string => {
    const v = row[name]
    return typeof v === 'string' ? v : scalarText(v)
  },
  textOrNull: (row: ReadRow, name: string): string | null => {
    const v = row[name]
    return v === null || v === undefined ? null : scalarText(v)
  },
  int: (row: ReadRow, name: string): number => Number(row[name] ?? 0),
}
