/**
 * Local D1 helpers shared by the dev and bench scripts: apply migrations to both regional
 * databases, seed a tenant with a known SCIM key, and run read queries, straight against the
 * local state that `wrangler dev` uses.
 */
import { execFileSync } from 'node:child_process'
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto'
import { z } from 'zod'

/** What `wrangler d1 execute --json` prints: one entry per statement, with its rows. */
const d1Output = z.array(
  z.object({ success: z.literal(true), results: z.array(z.record(z.string(), z.unknown())) })
)

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const randomId = (n: number): string => Array.from(randomBytes(n), (b) => ALPHABET[b % 36]).join('')

/** Default bound on one wrangler invocation, so no script can hang on it. */
const WRANGLER_TIMEOUT_MS = 10 * 60_000

/** How `wrangler` runs: `quiet` captures stdout (and returns it) instead of showing it. */
export interface WranglerOptions {
  quiet?: boolean
  timeoutMs?: number
}

/**
 * Runs `npx wrangler ...args` synchronously and returns its stdout (when `quiet`). Bounded by
 * `timeoutMs`: the child is killed and this throws when it is exceeded.
 */
export function wrangler(args: string[], opts: WranglerOptions = {}): string {
  return execFileSync('npx', ['wrangler', ...args], {
    stdio: opts.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? WRANGLER_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  })
}

const persistArgs = (persistTo: string | undefined): string[] =>
  persistTo ? ['--persist-to', persistTo] : []

/** Runs SQL against a local regional database (`extra`: more `d1 execute` flags); its stdout. */
function executeLocal(
  db: string,
  sql: string,
  persistTo: string | undefined,
  { extra = [], timeoutMs }: { extra?: string[]; timeoutMs?: number } = {}
): string {
  const args = [
    'd1',
    'execute',
    db,
    '--local',
    '--command',
    sql,
    ...extra,
    ...persistArgs(persistTo),
  ]
  return wrangler(args, { quiet: true, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
}

const regionDb = (region: string): string => (region === 'eu' ? 'DB_EU' : 'DB_US')

export function migrate(persistTo?: string): void {
  for (const db of ['DB_US', 'DB_EU']) {
    wrangler(['d1', 'migrations', 'apply', db, '--local', ...persistArgs(persistTo)], {
      quiet: true,
    })
  }
}

export function sqlString(value: string | number): string {
  return `'${String(value).replace(/'/g, "''")}'`
}

/** A seeded tenant: its id and the token of its SCIM key. */
export interface SeededTenant {
  tenantId: string
  token: string
}

/** Creates a tenant and one SCIM key in local D1; returns the tenant id and the token. */
export function seedTenant({
  region,
  name,
  persistTo,
}: {
  region: string
  name: string
  persistTo?: string
}): SeededTenant {
  const tenantId = `${region}_${randomId(16)}`
  const keyId = randomId(12)
  const secret = randomBytes(32).toString('base64url')
  const token = `scim_${region}_${keyId}_${secret}`
  const hash = createHash('sha256').update(secret).digest('hex')
  const now = new Date().toISOString()
  const sql = [
    `INSERT INTO tenants (id, name, region, created_at) VALUES (${sqlString(tenantId)}, ${sqlString(name)}, ${sqlString(region)}, ${sqlString(now)});`,
    `INSERT INTO scim_keys (id, tenant_id, name, prefix, secret_hash, created_at) VALUES (${sqlString(keyId)}, ${sqlString(tenantId)}, 'demo', ${sqlString(`scim_${region}_${keyId}`)}, ${sqlString(hash)}, ${sqlString(now)});`,
  ].join('\n')
  executeLocal(regionDb(region), sql, persistTo)
  return { tenantId, token }
}

/**
 * A console admin (owner) of a tenant with a known password, hashed as the Worker hashes it
 * (src/lib/password.ts: PBKDF2-SHA-256, 100,000 iterations, 16-byte salt, base64url).
 */
export function seedAdmin({
  tenantId,
  region,
  email,
  name,
  password,
  persistTo,
}: {
  tenantId: string
  region: string
  email: string
  name: string
  password: string
  persistTo?: string
}): void {
  const salt = randomBytes(16)
  const hash = pbkdf2Sync(password, salt, 100_000, 32, 'sha256')
  const stored = `pbkdf2-sha256$100000$${salt.toString('base64url')}$${hash.toString('base64url')}`
  const now = new Date().toISOString()
  const id = `00000000-0000-7000-8000-${randomBytes(6).toString('hex')}`
  const values = [tenantId, id, email, email.toLowerCase(), name, 'owner', stored, now, now, now]
  executeLocal(
    regionDb(region),
    `INSERT INTO tenant_admins (tenant_id, id, email, email_ci, name, role, password_hash, password_changed_at, created_at, updated_at) VALUES (${values.map(sqlString).join(', ')});`,
    persistTo
  )
}

/**
 * Runs one read-only SQL statement against a local database with `wrangler d1 execute --json`
 * and returns its result rows. Reading while `wrangler dev` serves the same state is safe: the
 * local databases are SQLite files in WAL mode, so a reader never blocks the writer.
 */
export function queryLocal({
  db,
  sql,
  persistTo,
  timeoutMs,
}: {
  db: string
  sql: string
  persistTo?: string
  timeoutMs?: number
}): Record<string, unknown>[] {
  const out = executeLocal(db, sql, persistTo, {
    extra: ['--json'],
    timeoutMs: timeoutMs ?? 2 * 60_000,
  })
  // Tolerate a banner before the JSON array in case a wrangler version prints one.
  const parsed = d1Output.safeParse(JSON.parse(out.slice(Math.max(0, out.indexOf('[')))))
  const first = parsed.data?.[0]
  if (!first) {
    throw new Error(`unexpected output of wrangler d1 execute --json: ${out.slice(0, 300)}`)
  }
  return first.results
}
