/**
 * @module Brings a tenant Durable Object's own SQLite storage to the current schema
 * (./schema.ts) with the numbered migrations drizzle-kit generated into `migrations-do/`, applied
 * by drizzle's Durable Object migrator. The migrator keeps what it applied in the object's
 * `__drizzle_migrations` table and applies, in one storage transaction, only the migrations
 * newer than the last one recorded there, so starting again changes nothing.
 */
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import bundled from '../../../migrations-do/migrations.js'

/** The table where drizzle's migrator records each applied migration (`created_at` = its `when`). */
const APPLIED = '__drizzle_migrations'

/**
 * Objects created before the storage was versioned hold the first migration's layout already,
 * or part of it (each table was created when the object first used it), and no record of it.
 * So that migration creates only what is missing; it is never edited, and a test checks that it
 * lays out exactly what those objects have.
 */
const createIfMissing = (sql: string): string =>
  sql.replace(/^(\s*)CREATE (TABLE|INDEX) (?!IF NOT EXISTS)/gm, '$1CREATE $2 IF NOT EXISTS ')

function adoptingUnversioned(config: typeof bundled): typeof bundled {
  const first = config.journal.entries[0]
  if (!first) return config
  const key = `m${String(first.idx).padStart(4, '0')}`
  const sql = config.migrations[key]
  if (sql === undefined) return config
  return { ...config, migrations: { ...config.migrations, [key]: createIfMissing(sql) } }
}

/** Applies the migrations this object's storage has not had yet (call under blockConcurrencyWhile). */
export async function migrateObjectStorage(storage: DurableObjectStorage): Promise<void> {
  await migrate(drizzle(storage), adoptingUnversioned(bundled))
}

/**
 * The tag of the last migration applied to this storage (e.g. `0000_sync_state`); null when none
 * is recorded, or when the last one recorded is newer than this code.
 */
export function objectStorageVersion(storage: DurableObjectStorage): string | null {
  const exists = storage.sql
    .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", APPLIED)
    .toArray()
  if (exists.length === 0) return null
  const [last] = storage.sql
    .exec(`SELECT created_at FROM ${APPLIED} ORDER BY created_at DESC LIMIT 1`)
    .toArray()
  const when = Number(last?.created_at)
  return bundled.journal.entries.find((e) => e.when === when)?.tag ?? null
}

/** The tag of the newest migration this code ships. */
export const CURRENT_OBJECT_STORAGE_VERSION: string = bundled.journal.entries.at(-1)?.tag ?? ''
