/**
 * `npm run bench:scale`: measures the service under `wrangler dev` on 127.0.0.1 (not a test).
 *
 * Phases, all in one run so ratios compare like with like on a noisy machine:
 *   health        GET /health, the floor of the stack
 *   provision     an Entra-style initial cycle: 10,000 users (lookup by filter, then create) and
 *                 1,000 groups (lookup, create, then member PATCHes, 20 members each); then
 *                 every user into one group, 10 per PATCH, compared with the groups of 20
 *   lookup@10k    filter lookups by userName
 *   agents        10,000 agent reports in sequential batches of 500 through the admin API,
 *                 linked to the users by UPN or work email; then the same reports again
 *   history       history rows written per 1,000 SCIM writes (renames, member adds, creates)
 *   lookup@100k   the same lookups after bulk-loading 90,000 more users into the database
 *   console       an admin signed in to the console: the Users page and a search by userName
 *                 prefix at 100,000 users, compared with the lookups above
 *   sync          a pull sync of a generated 50,000-user, 2,000-group Entra directory served by
 *                 the fake Graph from this process, in a tenant of its own with agents for a
 *                 third of the users: the first sync, then a no-change sync (0 D1 rows expected)
 * The sync phase comes last, so the phases before it (and their ratios) run as they did without
 * it; BENCH_SKIP_SYNC=1 leaves it out, BENCH_ONLY=sync runs it alone. Every loop is bounded by a
 * request count and a global deadline. Sizes scale with BENCH_SCALE; results are printed as
 * tables and written to .bench/results.json.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { startFakeGraph, stopFakeGraph, type ServedGraph } from './fake-graph.ts'
import { migrate, seedAdmin, seedTenant, type SeededTenant } from './local-db.ts'
import { agentRound } from './bench/agents.ts'
import {
  BENCH_DIR,
  CONCURRENCY,
  DEADLINE_MS,
  ONLY_SYNC,
  PERSIST,
  SCALE,
  SIZES,
  SKIP_SYNC,
  pastDeadline,
} from './bench/config.ts'
import { CONSOLE_ADMIN, consoleSignIn, usersPagePhase, usersSearchPhase } from './bench/console.ts'
import { bulkLoadUsers } from './bench/db.ts'
import { historyGrowth } from './bench/history.ts'
import { adminClient, health, scimClient, type Call } from './bench/http.ts'
import { lookupPhase, readPhase } from './bench/lookups.ts'
import { runStep } from './bench/measure.ts'
import {
  provisionGroups,
  provisionMembers,
  provisionOneGroup,
  provisionUsers,
  type Ids,
} from './bench/provision.ts'
import {
  progressLine,
  report,
  type Phase,
  type Phases,
  type Results,
  type Skipped,
  type Step,
} from './bench/report.ts'
import {
  PRODUCT,
  buildWorker,
  startServer,
  stopServer,
  waitReady,
  type ServerProcess,
  runBench,
} from './bench/server.ts'
import { prepareSync, runSync, syncVars, type Failed, type SyncResult } from './bench/sync.ts'

const label = (count: number): string =>
  count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count)
const labels = { users: label(SIZES.users), big: label(SIZES.big) }
const phases: Phases = {}
let server: ServerProcess | undefined
/** The fake Graph (started before wrangler dev, which is told where it listens), or undefined. */
let graph: ServedGraph | undefined

/** Runs one phase (given its name) unless the deadline has passed; records and prints it. */
async function record<K extends keyof Results>(
  key: K,
  name: string,
  fn: (name: string) => Promise<Results[K] | Skipped>
): Promise<Results[K] | Skipped> {
  const skipped: Skipped = { name, skipped: true }
  const result = pastDeadline() ? skipped : await fn(name)
  phases[key] = result
  console.log(progressLine(result))
  return result
}

/** A one-off step (server start, bulk load): only its wall time is reported. */
type StepKey = 'buildWorker' | 'startServer' | 'stopServer' | 'bulkLoad' | 'restartServer'
const step = (key: StepKey, name: string, fn: () => unknown): Promise<Step | Skipped> =>
  record(key, name, async () => ({ name, wallS: (await runStep(name, fn)).wallS }))

const healthPhase = (name: string) => readPhase(name, health)

async function restartServer(): Promise<void> {
  const started = startServer(PRODUCT, graph ? syncVars(graph) : [])
  server = started
  await waitReady(started)
}

async function provisioning(scim: Call, ids: Ids, groupIds: Ids): Promise<void> {
  await record('health', 'GET /health', healthPhase)
  await record('provisionUsers', 'provision users', () => provisionUsers(scim, ids))
  await record('provisionGroups', 'provision groups', () => provisionGroups(scim, groupIds))
  await record('provisionMembers', 'member PATCHes', () => provisionMembers(scim, ids, groupIds))
  await record('provisionOneGroup', 'member PATCHes into one group', () =>
    provisionOneGroup(scim, ids)
  )
}

/** Lookups at the provisioned size, the agent rounds and the history growth. */
async function directory(scim: Call, tenantId: string, ids: Ids, groupIds: Ids): Promise<number[]> {
  const admin = adminClient()
  const present = ids.flatMap((id, i) => (id === undefined ? [] : [i]))
  await record('lookup10k', `lookup by userName @${labels.users}`, (name) =>
    lookupPhase(scim, name, present)
  )
  await record('agentsRound1', 'agents round 1', () => agentRound(admin, tenantId, 1, ids))
  await record('agentsRound2', 'agents round 2', () => agentRound(admin, tenantId, 2, ids))
  await record('historyGrowth', 'history growth', () =>
    historyGrowth(scim, tenantId, ids, groupIds)
  )
  return present
}

/** Bulk load with the server stopped (D1's local files are written directly), then lookups. */
async function atScale(tenantId: string, scim: Call, present: number[]): Promise<void> {
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
  await consolePhases(big)
}

/** The console at full size: the Users page and a search by userName prefix, signed in once. */
async function consolePhases(present: number[]): Promise<void> {
  if (pastDeadline()) return
  const cookie = await consoleSignIn()
  await record('consoleUsers', `console Users page @${labels.big}`, (name) =>
    usersPagePhase(name, cookie)
  )
  await record('consoleSearch', `console search by userName prefix @${labels.big}`, (name) =>
    usersSearchPhase(name, cookie, present)
  )
}

/**
 * The pull sync phase: setup (directory, tenant, agents, instance), the first sync, then the
 * no-change sync. A sync is skipped when what it needs failed or is still running.
 */
async function syncPhases(graph: ServedGraph): Promise<void> {
  const admin = adminClient()
  const { syncUsers, syncGroups } = SIZES
  const setupName = `sync setup (${label(syncUsers)} users, ${label(syncGroups)} groups, agents)`
  const setup = await record('syncSetup', setupName, (name) => prepareSync(admin, graph, name))
  // Set up means ready: a setup that failed has no tenant or instance.
  const prepared = 'entra' in setup ? setup : undefined
  const ended = (r: SyncResult | Failed | Skipped): boolean =>
    !('skipped' in r) && r.failures === 0 && !('truncated' in r && r.truncated)
  const notReady = (name: string): Promise<Skipped> =>
    Promise.resolve({ name, skipped: true, reason: 'the step before did not end' })
  const sync = (key: 'syncFirst' | 'syncNoChange', name: string, noChange: boolean, go: boolean) =>
    prepared && go
      ? record(key, name, (n) => runSync(admin, graph, prepared, n, { noChange }))
      : record(key, name, notReady)
  const first = await sync('syncFirst', 'first sync', false, true)
  await sync('syncNoChange', 'no-change sync', true, ended(first))
}

function banner(): void {
  const { users, groups, membersPerGroup, agents, big, syncUsers, syncGroups } = SIZES
  const sync = `pull sync of ${syncUsers} Entra users and ${syncGroups} groups`
  const main =
    `${users} users, ${groups} groups x ${membersPerGroup} members, ${agents} agents, ` +
    `lookups at ${users} and ${big} users, concurrency ${CONCURRENCY}`
  const what = ONLY_SYNC ? `only the ${sync}` : `${main}, ${SKIP_SYNC ? 'no pull sync' : sync}`
  console.log(`bench: scale ${SCALE}, ${what}, deadline ${DEADLINE_MS / 60_000} min\n`)
}

/**
 * Exit code 1 when any phase had a failure; skipped or truncated phases are named too, and the
 * warnings (e.g. rows written by the no-change sync) are repeated last.
 */
function verdict(): number {
  const all: Phase[] = Object.values(phases)
  const failuresOf = (r: Phase): number => ('failures' in r ? r.failures : 0)
  const bad = all.filter(
    (r) => failuresOf(r) > 0 || 'skipped' in r || ('truncated' in r && r.truncated)
  )
  if (bad.length > 0) {
    console.error(`\nincomplete or failing phases: ${bad.map((r) => r.name).join(', ')}`)
  }
  for (const w of all.flatMap((r) => ('warnings' in r ? r.warnings : []))) {
    console.error(`WARNING: ${w}`)
  }
  return all.some((r) => failuresOf(r) > 0) ? 1 : 0
}

/** Every phase but the pull sync, in the bench tenant (seeded before the server starts). */
async function mainPhases({ tenantId, token }: SeededTenant): Promise<void> {
  const scim = scimClient(token)
  const ids: Ids = new Array<string | undefined>(SIZES.users)
  const groupIds: Ids = new Array<string | undefined>(SIZES.groups)
  await provisioning(scim, ids, groupIds)
  const present = await directory(scim, tenantId, ids, groupIds)
  await atScale(tenantId, scim, present)
}

async function main(): Promise<number> {
  const t0 = Date.now()
  rmSync(BENCH_DIR, { recursive: true, force: true })
  mkdirSync(BENCH_DIR, { recursive: true })
  migrate(PERSIST)
  const bench = ONLY_SYNC
    ? undefined
    : seedTenant({ region: 'us', name: 'Bench', persistTo: PERSIST })
  if (bench) seedAdmin({ ...bench, region: 'us', ...CONSOLE_ADMIN, persistTo: PERSIST })
  banner()
  try {
    // Port 0: the OS picks a free port, so the bench never collides with `npm run dev`'s 8788.
    const served = SKIP_SYNC ? undefined : await startFakeGraph(0)
    graph = served
    await step('buildWorker', 'build worker (src/ as of now)', buildWorker)
    await step('startServer', 'start server', restartServer)
    if (bench) await mainPhases(bench)
    if (served) await syncPhases(served)
  } finally {
    await stopServer(server)
    await stopFakeGraph(graph)
  }
  const wallS = (Date.now() - t0) / 1000
  const startedAt = new Date(t0).toISOString()
  const only = ONLY_SYNC ? 'sync' : null
  const meta = { scale: SCALE, ...SIZES, concurrency: CONCURRENCY, only, skipSync: SKIP_SYNC }
  report({ meta: { ...meta, startedAt, wallS }, phases, labels })
  console.log(`total wall time ${(wallS / 60).toFixed(1)} min`)
  return verdict()
}

runBench(main, () => [server])
