/**
 * Direct access to the bench tenant's local D1 database: the bulk load of extra users (run
 * while the server is stopped) and the history row counts (read while it runs).
 */
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { queryLocal, sqlString, wrangler } from '../local-db.ts'
import { BENCH_DIR, PERSIST, userName } from './config.ts'

/** Rows per INSERT: one statement of 1,000 users exceeded SQLite's statement size (SQLITE_TOOBIG). */
const ROWS_PER_INSERT = 100
const USER_COLUMNS = [
  'tenant_id, id, user_name_ci, external_id_ci, display_name_ci, employee_number_ci',
  'active, data, version, created_at, updated_at',
].join(', ')
const VALUE_COLUMNS = 'tenant_id, user_id, attr, type_ci, value_ci, is_primary'

function userRows(tenantId: string, from: number, to: number, now: string): string[] {
  const users: string[] = []
  const values: string[] = []
  for (let i = from; i < to; i++) {
    const id = randomUUID()
    const name = userName(i)
    const doc = JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: name,
      externalId: `ext${i}`,
      active: true,
      emails: [{ value: name, type: 'work', primary: true }],
    })
    const [t, key, at] = [sqlString(tenantId), sqlString(id), sqlString(now)]
    const nameSql = sqlString(name)
    const user = [
      t,
      key,
      nameSql,
      sqlString(`ext${i}`),
      'NULL',
      'NULL',
      1,
      sqlString(doc),
      1,
      at,
      at,
    ]
    users.push(`(${user.join(', ')})`)
    values.push(`(${t}, ${key}, 'emails', 'work', ${nameSql}, 1)`)
  }
  return [
    `INSERT INTO users (${USER_COLUMNS}) VALUES ${users.join(',')};`,
    `INSERT INTO user_values (${VALUE_COLUMNS}) VALUES ${values.join(',')};`,
  ]
}

/**
 * Inserts users from..to-1 (the shape the service writes: lowercased userName, one work email
 * row) with `wrangler d1 execute --file`. The server must be stopped.
 */
export function bulkLoadUsers(tenantId: string, from: number, to: number): void {
  const now = new Date().toISOString()
  const lines: string[] = []
  for (let start = from; start < to; start += ROWS_PER_INSERT) {
    lines.push(...userRows(tenantId, start, Math.min(to, start + ROWS_PER_INSERT), now))
  }
  const file = `${BENCH_DIR}/bulk-users.sql`
  writeFileSync(file, lines.join('\n'))
  wrangler(
    ['d1', 'execute', 'DB_US', '--local', '--persist-to', PERSIST, '--file', file, '--yes'],
    {
      quiet: true,
      timeoutMs: 10 * 60_000,
    }
  )
}

/** The tenant's history rows by op, and their total. */
/** A tenant's history rows: their total and their count per op. */
export interface HistoryCounts {
  total: number
  byOp: Record<string, number>
}

export function historyCounts(tenantId: string): HistoryCounts {
  const where = `tenant_id = ${sqlString(tenantId)}`
  const sql = `SELECT op, count(*) AS n FROM history WHERE ${where} GROUP BY op ORDER BY op`
  const rows = queryLocal({ db: 'DB_US', persistTo: PERSIST, sql })
  const byOp = Object.fromEntries(rows.map((r) => [String(r.op), Number(r.n)]))
  return { total: Object.values(byOp).reduce((a, b) => a + b, 0), byOp }
}
