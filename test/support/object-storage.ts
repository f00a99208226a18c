/**
 * Helpers for tests of a tenant Durable Object's own SQLite storage: its layout as SQLite reports
 * it (columns, keys, indexes), its rows, the migrations recorded in it, and the storage objects
 * had before it was versioned (the CREATE statements each store ran, no migration record).
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

/** What SyncRunStore ran in its constructor before the storage was versioned, verbatim. */
export const UNVERSIONED_RUN_STORE = [
  `CREATE TABLE IF NOT EXISTS sync_runs (id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, started_at TEXT NOT NULL,
     finished_at TEXT, status TEXT NOT NULL, report TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS sync_runs_instance ON sync_runs (instance_id, started_at)`,
]

/** What SyncStage ran in its constructor before the storage was versioned, verbatim. */
export const UNVERSIONED_STAGE = [
  `CREATE TABLE IF NOT EXISTS stage_groups (run_id TEXT NOT NULL, id TEXT NOT NULL, display_name TEXT NOT NULL,
     kind TEXT NOT NULL, next_link TEXT, done INTEGER NOT NULL, PRIMARY KEY (run_id, id))`,
  `CREATE TABLE IF NOT EXISTS stage_users (run_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run_id, id))`,
  `CREATE TABLE IF NOT EXISTS stage_members (run_id TEXT NOT NULL, group_id TEXT NOT NULL, user_id TEXT NOT NULL,
     PRIMARY KEY (run_id, group_id, user_id))`,
  `CREATE INDEX IF NOT EXISTS stage_members_user ON stage_members (run_id, user_id)`,
  `CREATE TABLE IF NOT EXISTS sync_links (instance_id TEXT NOT NULL, kind TEXT NOT NULL, entra_id TEXT NOT NULL,
     product_id TEXT NOT NULL, PRIMARY KEY (instance_id, kind, entra_id))`,
  `CREATE INDEX IF NOT EXISTS sync_links_product ON sync_links (instance_id, kind, product_id)`,
]

/** Where drizzle's migrator records what it applied. */
export const MIGRATIONS_TABLE = '__drizzle_migrations'

type Row = Record<string, SqlStorageValue>

/** A name column of SQLite's catalog, which is always text. */
const nameOf = (row: Row): string => {
  const name = row['name']
  if (typeof name !== 'string') throw new Error(`not a name: ${JSON.stringify(row)}`)
  return name
}

const all = (storage: DurableObjectStorage, query: string, ...params: SqlStorageValue[]): Row[] =>
  storage.sql.exec<Row>(query, ...params).toArray()

/** The object's own tables (not workerd's `_cf_*` nor SQLite's), the migration record included. */
export const tablesOf = (storage: DurableObjectStorage): string[] =>
  all(
    storage,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
  ).map(nameOf)

/** Each table's columns and indexes as SQLite sees them (declared type names compared in upper case). */
export function layoutOf(storage: DurableObjectStorage): Record<string, unknown> {
  const tables = tablesOf(storage).filter((t) => t !== MIGRATIONS_TABLE)
  return Object.fromEntries(
    tables.map((table) => [
      table,
      {
        columns: all(
          storage,
          'SELECT name, upper(type) AS type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?) ORDER BY cid',
          table
        ),
        indexes: all(
          storage,
          'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name',
          table
        ).map((index) => ({
          ...index,
          keys: all(
            storage,
            'SELECT name, "desc", coll, "key" FROM pragma_index_xinfo(?) ORDER BY seqno',
            nameOf(index)
          ),
        })),
      },
    ])
  )
}

/** Every row of the object's tables (but the migration record), in a stable order. */
export function rowsOf(storage: DurableObjectStorage): Record<string, Row[]> {
  const tables = tablesOf(storage).filter((t) => t !== MIGRATIONS_TABLE)
  return Object.fromEntries(
    tables.map((t) => [t, all(storage, `SELECT * FROM ${t} ORDER BY ${orderOf(storage, t)}`)])
  )
}

const orderOf = (storage: DurableObjectStorage, table: string): string =>
  all(storage, 'SELECT name FROM pragma_table_info(?) ORDER BY cid', table).map(nameOf).join(', ')

/** The migrations the object's storage records as applied. */
export const appliedMigrations = (storage: DurableObjectStorage): Row[] =>
  all(storage, `SELECT hash, created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at`)

export function insertRows(storage: DurableObjectStorage, table: string, rows: readonly Row[]) {
  for (const row of rows) {
    const columns = Object.keys(row)
    storage.sql.exec(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ...Object.values(row)
    )
  }
}

/**
 * Turns the object's storage back into what the code before versioning left: its tables dropped
 * (the migration record too), `statements` run, and the rows of the tables they create put back.
 */
export function makeUnversioned(storage: DurableObjectStorage, statements: readonly string[]) {
  const rows = rowsOf(storage)
  for (const table of tablesOf(storage)) storage.sql.exec(`DROP TABLE ${table}`)
  for (const statement of statements) storage.sql.exec(statement)
  const created = new Set(tablesOf(storage))
  for (const [table, list] of Object.entries(rows))
    if (created.has(table)) insertRows(storage, table, list)
}

export const tenantObject = (tenantId: string) => env.TENANT_WRITER.getByName(tenantId)

/**
 * Tears down the tenant's object so the next call starts a new instance of the class on the
 * same storage, as a deploy or an eviction does.
 */
export async function restart(tenantId: string): Promise<void> {
  const stub = tenantObject(tenantId)
  await runInDurableObject(stub, (_, state) => state.storage.sync())
  await evictDurableObject(stub)
}

/** Runs `fn` on the storage of the tenant's object. */
export const inObject = <T>(tenantId: string, fn: (storage: DurableObjectStorage) => T) =>
  runInDurableObject(tenantObject(tenantId), (_, state) => fn(state.storage))
