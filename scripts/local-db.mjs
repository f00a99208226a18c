/**
 * Local D1 helpers shared by the dev and bench scripts: apply migrations to both regional
 * databases and seed a tenant with a known SCIM key, straight into local state.
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const randomId = (n) => Array.from(randomBytes(n), (b) => ALPHABET[b % 36]).join('')

export function wrangler(args, opts = {}) {
  return execFileSync('npx', ['wrangler', ...args], { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8' })
}

export function migrate(persistTo) {
  for (const db of ['DB_US', 'DB_EU']) {
    wrangler(['d1', 'migrations', 'apply', db, '--local', ...(persistTo ? ['--persist-to', persistTo] : [])], { quiet: true })
  }
}

export function sqlString(value) {
  return `'${String(value).replace(/'/g, "''")}'`
}

/** Creates a tenant and one SCIM key in local D1; returns the tenant id and the token. */
export function seedTenant({ region, name, persistTo }) {
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
  wrangler(['d1', 'execute', region === 'eu' ? 'DB_EU' : 'DB_US', '--local', '--command', sql, ...(persistTo ? ['--persist-to', persistTo] : [])], { quiet: true })
  return { tenantId, token }
}
