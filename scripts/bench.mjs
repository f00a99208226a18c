/**
 * `npm run bench`: measures the service under `wrangler dev` on 127.0.0.1 (not a test).
 *
 * Phases, all in one run so ratios compare like with like on a noisy machine:
 *   health        GET /health, the floor of the stack
 *   provision     an Entra-style initial cycle: 10,000 users (lookup by filter, then create) and
 *                 1,000 groups (lookup, create, then member PATCHes, 20 members each)
 *   lookup@10k    filter lookups by userName
 *   lookup@100k   the same after bulk-loading 90,000 more users into the tenant's database
 * Every loop is bounded by a request count and a deadline. Sizes scale with BENCH_SCALE (0..1).
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { migrate, seedTenant, sqlString, wrangler } from './local-db.mjs'

const SCALE = Number(process.env.BENCH_SCALE ?? '1')
const PORT = process.env.BENCH_PORT ?? '8799'
const PERSIST = '.bench/state'
const BASE = `http://127.0.0.1:${PORT}`
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '16')
const DEADLINE_MS = 20 * 60_000
const started = Date.now()

const n = (count) => Math.max(1, Math.round(count * SCALE))
const USERS = n(10_000)
const GROUPS = n(1_000)
const MEMBERS_PER_GROUP = 20
const MEMBERS_PER_PATCH = 5
const BIG = n(100_000)
const LOOKUPS = n(2_000)

function startServer() {
  const child = spawn(
    'npx',
    ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', PORT, '--persist-to', PERSIST, '--var', 'DO_JURISDICTIONS:false', '--var', 'SCIM_RATE_LIMIT_PER_MINUTE:10000000'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true }
  )
  child.stdout.resume()
  child.stderr.resume()
  return child
}

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('wrangler dev did not become ready')
}

function stopServer(child) {
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {}
}

/** Runs `count` tasks with bounded concurrency; returns latencies (ms) and wall time. */
async function phase(name, count, task) {
  const latencies = []
  let next = 0
  let failures = 0
  const t0 = performance.now()
  const worker = async () => {
    while (next < count && Date.now() - started < DEADLINE_MS) {
      const i = next++
      const s = performance.now()
      try {
        await task(i)
      } catch (e) {
        if (failures++ < 3) console.error(`  ${name} #${i}: ${e.message}`)
      }
      latencies.push(performance.now() - s)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const wall = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
  const result = { name, count: latencies.length, failures, rps: latencies.length / wall, p50: pct(50), p99: pct(99) }
  console.log(`${name.padEnd(34)} ${String(result.count).padStart(7)} req  ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(1).padStart(7)} ms  p99 ${result.p99.toFixed(1).padStart(7)} ms  failures ${failures}`)
  return result
}

function client(token) {
  return async (method, path, body, expected) => {
    const res = await fetch(`${BASE}/scim/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    if (res.status !== expected) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`)
    return text ? JSON.parse(text) : null
  }
}

const userName = (i) => `bench.user${i}@contoso.com`
const filterQuery = (f) => `?filter=${encodeURIComponent(f)}`

/** Writes 90k extra users as SQL and loads them with `wrangler d1 execute --file` while the server is stopped. */
function bulkLoadUsers(tenantId, from, to) {
  mkdirSync('.bench', { recursive: true })
  const now = new Date().toISOString()
  const lines = []
  for (let start = from; start < to; start += 100) {
    const rows = []
    const values = []
    for (let i = start; i < Math.min(to, start + 100); i++) {
      const id = randomUUID()
      const name = userName(i)
      const doc = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name, active: true, emails: [{ value: name, type: 'work', primary: true }] })
      rows.push(`(${sqlString(tenantId)}, ${sqlString(id)}, ${sqlString(name)}, ${sqlString(`ext${i}`)}, NULL, NULL, 1, ${sqlString(doc)}, 1, ${sqlString(now)}, ${sqlString(now)})`)
      values.push(`(${sqlString(tenantId)}, ${sqlString(id)}, 'emails', 'work', ${sqlString(name)}, 1)`)
    }
    lines.push(`INSERT INTO users (tenant_id, id, user_name_ci, external_id_ci, display_name_ci, employee_number_ci, active, data, version, created_at, updated_at) VALUES ${rows.join(',')};`)
    lines.push(`INSERT INTO user_values (tenant_id, user_id, attr, type_ci, value_ci, is_primary) VALUES ${values.join(',')};`)
  }
  writeFileSync('.bench/bulk-users.sql', lines.join('\n'))
  wrangler(['d1', 'execute', 'DB_US', '--local', '--persist-to', PERSIST, '--file', '.bench/bulk-users.sql', '--yes'], { quiet: true })
}

async function main() {
  rmSync('.bench', { recursive: true, force: true })
  migrate(PERSIST)
  const { tenantId, token } = seedTenant({ region: 'us', name: 'Bench', persistTo: PERSIST })
  const scim = client(token)
  let server = startServer()
  await waitReady()
  console.log(`bench: ${USERS} users, ${GROUPS} groups x ${MEMBERS_PER_GROUP} members, lookups at ${USERS} and ${BIG} users, concurrency ${CONCURRENCY}\n`)
  const results = {}
  try {
    results.health = await phase('GET /health', LOOKUPS, async () => {
      const r = await fetch(`${BASE}/health`)
      await r.text()
    })
    const ids = new Array(USERS)
    results.users = await phase('provision users (lookup+POST)', USERS, async (i) => {
      const found = await scim('GET', `/Users${filterQuery(`userName eq "${userName(i)}"`)}`, undefined, 200)
      if (found.totalResults !== 0) throw new Error('unexpected match')
      ids[i] = (await scim('POST', '/Users', { userName: userName(i), externalId: `ext${i}`, active: true, emails: [{ value: userName(i), type: 'work', primary: true }] }, 201)).id
    })
    const groupIds = new Array(GROUPS)
    results.groups = await phase('provision groups (lookup+POST)', GROUPS, async (g) => {
      await scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "Bench Group ${g}"`)}`, undefined, 200)
      groupIds[g] = (await scim('POST', '/Groups', { displayName: `Bench Group ${g}`, externalId: randomUUID() }, 201)).id
    })
    const patchesPerGroup = MEMBERS_PER_GROUP / MEMBERS_PER_PATCH
    results.members = await phase(`member PATCHes (${MEMBERS_PER_PATCH} per PATCH)`, GROUPS * patchesPerGroup, async (k) => {
      const g = Math.floor(k / patchesPerGroup)
      const part = k % patchesPerGroup
      const value = Array.from({ length: MEMBERS_PER_PATCH }, (_, j) => ({ value: ids[(g * MEMBERS_PER_GROUP + part * MEMBERS_PER_PATCH + j) % USERS] }))
      await scim('PATCH', `/Groups/${groupIds[g]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value }] }, 204)
    })
    const lookup = (size) => async (k) => {
      const i = (k * 7919) % size
      const r = await scim('GET', `/Users${filterQuery(`userName eq "${userName(i).toUpperCase()}"`)}`, undefined, 200)
      if (r.totalResults !== 1) throw new Error(`lookup of user ${i} found ${r.totalResults}`)
    }
    results.lookup10k = await phase(`lookup by userName @${USERS}`, LOOKUPS, lookup(USERS))

    stopServer(server)
    await new Promise((r) => setTimeout(r, 1500))
    const t0 = Date.now()
    bulkLoadUsers(tenantId, USERS, BIG)
    console.log(`(bulk-loaded ${BIG - USERS} users in ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    server = startServer()
    await waitReady()
    results.health2 = await phase('GET /health (again)', LOOKUPS, async () => {
      const r = await fetch(`${BASE}/health`)
      await r.text()
    })
    results.lookup100k = await phase(`lookup by userName @${BIG}`, LOOKUPS, lookup(BIG))
  } finally {
    stopServer(server)
  }
  const ratio = (a, b) => (a / b).toFixed(2)
  console.log(`
ratios (same run):
  lookup p50 @${BIG} / @${USERS}     ${ratio(results.lookup100k.p50, results.lookup10k.p50)}
  lookup req/s @${BIG} / @${USERS}   ${ratio(results.lookup100k.rps, results.lookup10k.rps)}
  lookup p50 @${BIG} / health p50   ${ratio(results.lookup100k.p50, results.health2.p50)}
  lookup req/s / health req/s      ${ratio(results.lookup100k.rps, results.health2.rps)}`)
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  }
)
