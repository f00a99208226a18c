/**
 * `npm run bench`: measures the service under `wrangler dev` on 127.0.0.1 (not a test).
 *
 * Phases, all in one run so ratios compare like with like on a noisy machine:
 *   health        GET /health, the floor of the stack
 *   provision     an Entra-style initial cycle: 10,000 users (lookup by filter, then create) and
 *                 1,000 groups (lookup, create, then member PATCHes, 20 members each)
 *   lookup@10k    filter lookups by userName
 *   agents        10,000 agent reports in sequential batches of 500 through the admin API,
 *                 linked to the users by UPN or work email; then the same reports again
 *   history       history rows written per 1,000 SCIM writes (renames, member adds, creates)
 *   lookup@100k   the same lookups after bulk-loading 90,000 more users into the database
 * Every loop is bounded by a request count and a global deadline. Sizes scale with BENCH_SCALE;
 * results are printed as tables and written to .bench/results.json.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { migrate, seedTenant } from './local-db.mjs'
import { agentRound } from './bench/agents.mjs'
import {
  BENCH_DIR,
  CONCURRENCY,
  DEADLINE_MS,
  PERSIST,
  SCALE,
  SIZES,
  pastDeadline,
} from './bench/config.mjs'
import { bulkLoadUsers } from './bench/db.mjs'
import { historyGrowth } from './bench/history.mjs'
import { adminClient, health, scimClient } from './bench/http.mjs'
import { lookupPhase } from './bench/lookups.mjs'
import { runPhase, runStep } from './bench/measure.mjs'
import { provisionGroups, provisionMembers, provisionUsers } from './bench/provision.mjs'
import { progressLine, report } from './bench/report.mjs'
import { startServer, stopServer, waitReady } from './bench/server.mjs'

const label = (count) => (count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count))
const labels = { users: label(SIZES.users), big: label(SIZES.big) }
const phases = {}
let server

/** Runs one phase (given its name) unless the deadline has passed; records and prints it. */
async function record(key, name, fn) {
  const result = pastDeadline() ? { name, skipped: true } : await fn(name)
  phases[key] = result
  console.log(progressLine(result))
  return result
}

/** A one-off step (server start, bulk load): only its wall time is reported. */
const step = (key, name, fn) =>
  record(key, name, async () => ({ name, wallS: (await runStep(name, fn)).wallS }))

const healthPhase = (name) =>
  runPhase({ name, count: SIZES.lookups, concurrency: CONCURRENCY, task: health })

async function restartServer() {
  server = startServer()
  await waitReady(server)
}

async function provisioning(scim, ids, groupIds) {
  await record('health', 'GET /health', healthPhase)
  await record('provisionUsers', 'provision users', () => provisionUsers(scim, ids))
  await record('provisionGroups', 'provision groups', () => provisionGroups(scim, groupIds))
  await record('provisionMembers', 'member PATCHes', () => provisionMembers(scim, ids, groupIds))
}

/** Lookups at the provisioned size, the agent rounds and the history growth. */
async function directory(scim, tenantId, ids, groupIds) {
  const admin = adminClient()
  const present = ids.flatMap((id, i) => (id === undefined ? [] : [i]))
  await record('lookup10k', `lookup by userName @${labels.users}`, (name) =>
    lookupPhase(scim, name, present)
  )
  await record('agentsRound1', 'agents round 1', () => agentRound(admin, tenantId, 1, ids))
  await record('agentsRound2', 'agents round 2', () => agentRound(admin, tenantId, 2, ids))
  await record('historyGrowth', 'history growth', () => historyGrowth(scim, tenantId, ids, groupIds))
  return present
}

/** Bulk load with the server stopped (D1's local files are written directly), then lookups. */
async function atScale(tenantId, scim, present) {
  if (pastDeadline()) return
  const extra = SIZES.big - SIZES.users
  await step('stopServer', 'stop server', () => stopServer(server))
  await step('bulkLoad', `bulk load ${extra} users (SQL file)`, () =>
    bulkLoadUsers(tenantId, SIZES.users, SIZES.big)
  )
  await step('restartServer', 'start server again', restartServer)
  const big = [...present, ...Array.from({ length: extra }, (_, j) => SIZES.users + j)]
  await record('health2', 'GET /health (after restart)', healthPhase)
  await record('lookup100k', `lookup by userName @${labels.big}`, (name) =>
    lookupPhase(scim, name, big)
  )
}

function banner() {
  const { users, groups, membersPerGroup, agents, big } = SIZES
  console.log(
    `bench: scale ${SCALE}, ${users} users, ${groups} groups x ${membersPerGroup} members, ` +
      `${agents} agents, lookups at ${users} and ${big} users, concurrency ${CONCURRENCY}, ` +
      `deadline ${DEADLINE_MS / 60_000} min\n`
  )
}

/** Exit code 1 when any phase had a failure; skipped or truncated phases are named too. */
function verdict() {
  const all = Object.values(phases)
  const bad = all.filter((r) => r.failures > 0 || r.skipped || r.truncated)
  if (bad.length > 0) {
    console.error(`\nincomplete or failing phases: ${bad.map((r) => r.name).join(', ')}`)
  }
  return all.some((r) => r.failures > 0) ? 1 : 0
}

async function main() {
  const t0 = Date.now()
  rmSync(BENCH_DIR, { recursive: true, force: true })
  mkdirSync(BENCH_DIR, { recursive: true })
  migrate(PERSIST)
  const { tenantId, token } = seedTenant({ region: 'us', name: 'Bench', persistTo: PERSIST })
  const scim = scimClient(token)
  banner()
  const ids = new Array(SIZES.users)
  const groupIds = new Array(SIZES.groups)
  try {
    await step('startServer', 'start server', restartServer)
    await provisioning(scim, ids, groupIds)
    const present = await directory(scim, tenantId, ids, groupIds)
    await atScale(tenantId, scim, present)
  } finally {
    await stopServer(server)
  }
  const wallS = (Date.now() - t0) / 1000
  const startedAt = new Date(t0).toISOString()
  const meta = { scale: SCALE, ...SIZES, concurrency: CONCURRENCY, startedAt, wallS }
  report({ meta, phases, labels })
  console.log(`total wall time ${(wallS / 60).toFixed(1)} min`)
  return verdict()
}

// Ctrl-C must not leave wrangler dev (and workerd) running on the bench port.
process.on('SIGINT', () => {
  if (server) {
    try {
      process.kill(-server.pid, 'SIGKILL')
    } catch {}
  }
  process.exit(130)
})

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e)
    process.exit(1)
  }
)
