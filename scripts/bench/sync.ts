/**
 * The pull sync phase: a generated Entra directory (SIZES.syncUsers users, SIZES.syncGroups
 * groups nested two levels below the groups parent, plus the Do Not Track and Delete parents) in
 * the fake Graph, a tenant of its own with agents for about a third of the users (by UPN, so the
 * sync has groups to create), an entra-pull instance, then two syncs through the admin API: the
 * first one, and a no-change one that should write no D1 rows at all.
 */
import { DEFAULT_PARENT_NAMES, generateDirectory } from '../../test/fakes/graph/generate.ts'
import type { FakeGraphStats } from '../../test/fakes/graph/app.ts'
import type { FakeUser, Fixture } from '../../test/fakes/graph/directory.ts'
import type { ServedGraph } from '../fake-graph.ts'
import { SECRETS_KEY, SIZES, pastDeadline } from './config.ts'
import type { Call } from './http.ts'
import {
  agentBatch,
  createdInstance,
  runList,
  startedRun,
  withId,
  type SyncRun,
} from './responses.ts'

/** A step that failed: what the tables show for it. */
export interface Failed {
  name: string
  wallS: number
  failures: number
  errors: string[]
}

/** The sync tenant, its instance and agents, ready for the syncs. */
export interface SyncSetup {
  name: string
  wallS: number
  generatedS: number
  tenantId: string
  instanceId: string
  directoryId: string
  entra: { users: number; groups: number; allGroups: number }
  agents: number
  linkedAtReport: number
  failures: number
}

/** What the fake saw during one sync. */
interface FakeDelta {
  graphRequests: number
  tokenRequests: number
  byStatus: Record<string, number>
}

/** One sync's figures. */
export interface SyncResult {
  name: string
  wallS: number
  runS: number | undefined
  status: string
  phase: string
  truncated: boolean
  failures: number
  metrics: SyncRun['metrics']
  counts: SyncRun['counts']
  fake: FakeDelta
  warnings: string[]
  errors: string[]
  run: SyncRun
  pollMisses: number
}

/** The generated directory's id: the token endpoint's path and the instance's directoryId. */
const SYNC_DIRECTORY_ID = '5a5a5a5a-0000-4000-8000-0000000be4c0'

/** The --var settings that point `wrangler dev` at the fake Graph (started before it). */
export const syncVars = (graph: ServedGraph): string[] => [
  `GRAPH_BASE_URL:${graph.base}/v1.0`,
  `GRAPH_TOKEN_URL:${graph.base}`,
  `SECRETS_KEY:${SECRETS_KEY}`,
]

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const int = (v: number): string => Math.round(v).toLocaleString('en-US')
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** The agent a device of Entra user i reports: it names the user by UPN only. */
function agentOf(user: FakeUser, i: number) {
  return {
    id: `sync-dev-${i}`,
    logonName: user.userPrincipalName.replace(/@.*$/, '').slice(0, 256),
    domain: 'CONTOSO',
    upn: user.userPrincipalName,
    email: null,
    employeeId: null,
    lastSeen: '2026-11-30T10:00:00Z',
  }
}

/** Reports agents for every SIZES.syncAgentEvery-th user, in sequential batches. */
async function reportAgents(
  admin: Call,
  tenantId: string,
  users: FakeUser[]
): Promise<{ agents: number; linkedAtReport: number }> {
  const agents = users.flatMap((u, i) => (i % SIZES.syncAgentEvery === 0 ? [agentOf(u, i)] : []))
  let linked = 0
  for (let start = 0; start < agents.length; start += SIZES.syncAgentBatch) {
    const batch = agents.slice(start, start + SIZES.syncAgentBatch)
    const path = `/tenants/${tenantId}/agents`
    const res = await admin('POST', path, { agents: batch }, 200, agentBatch)
    if (res.received !== batch.length) {
      throw new Error(`agents ${start}..: received ${res.received} of ${batch.length}`)
    }
    linked += res.linked
  }
  return { agents: agents.length, linkedAtReport: linked }
}

const instanceBody = (fixture: Fixture) => ({
  name: 'Entra pull (bench)',
  kind: 'entra-pull',
  directoryId: SYNC_DIRECTORY_ID,
  clientId: fixture.clientId,
  clientSecret: fixture.clientSecret,
  groupsParent: DEFAULT_PARENT_NAMES.groups,
  dntParent: DEFAULT_PARENT_NAMES.doNotTrack,
  deleteParent: DEFAULT_PARENT_NAMES.delete,
  syncAttributes: false,
})

/**
 * Generates the directory and loads it into the fake, then creates the sync tenant, its agents
 * (before the sync, so users are linked as the sync creates them) and the pull instance.
 */
export async function prepareSync(
  admin: Call,
  graph: ServedGraph,
  name: string
): Promise<SyncSetup | Failed> {
  const t0 = performance.now()
  try {
    const { syncUsers: users, syncGroups: groups } = SIZES
    const fixture = generateDirectory({ users, groups, nestingDepth: 2, seed: 1 })
    graph.fake.load(SYNC_DIRECTORY_ID, fixture)
    const generatedS = (performance.now() - t0) / 1000
    const body = { name: 'Bench sync', region: 'us' }
    const tenant = await admin('POST', '/tenants', body, 201, withId)
    const agents = await reportAgents(admin, tenant.id, fixture.users)
    const path = `/tenants/${tenant.id}/instances`
    const { instance } = await admin('POST', path, instanceBody(fixture), 201, createdInstance)
    const wallS = (performance.now() - t0) / 1000
    // groups: below the groups parent, as sized; allGroups adds the parents and DNT/Delete groups.
    const entra = { users: fixture.users.length, groups, allGroups: fixture.groups.length }
    const ids = { tenantId: tenant.id, instanceId: instance.id, directoryId: SYNC_DIRECTORY_ID }
    return { name, wallS, generatedS, ...ids, entra, ...agents, failures: 0 }
  } catch (e) {
    console.error(`  ! ${name}: ${messageOf(e)}`)
    return { name, wallS: (performance.now() - t0) / 1000, failures: 1, errors: [messageOf(e)] }
  }
}

/** A poll may fail this many times in a row (a connection reset) before the sync is given up. */
const POLL_FAILURES_ALLOWED = 5

/** The run's report, read once; a failed read is retried at the next poll, a few times. */
interface Misses {
  inARow: number
  total: number
}

async function poll(
  admin: Call,
  path: string,
  runId: string,
  misses: Misses
): Promise<SyncRun | undefined> {
  try {
    const { runs } = await admin('GET', `${path}/runs?limit=1`, undefined, 200, runList)
    const latest = runs[0]
    if (latest?.id !== runId) {
      throw new Error(`GET ${path}/runs?limit=1 shows run ${latest?.id ?? 'none'}, not ${runId}`)
    }
    misses.inARow = 0
    return latest
  } catch (e) {
    if (++misses.inARow > POLL_FAILURES_ALLOWED) throw e
    misses.total++
    console.error(`  ! reading the run report failed, retrying: ${messageOf(e)}`)
    return undefined
  }
}

/** Starts a sync and reads its report every SIZES.syncPollMs until it ends or the deadline. */
async function syncUntilDone(admin: Call, path: string, misses: Misses): Promise<SyncRun> {
  const { run: started } = await admin('POST', path, undefined, 202, startedRun)
  let run = started
  while (run.status === 'running' && !pastDeadline()) {
    await sleep(SIZES.syncPollMs)
    run = (await poll(admin, path, started.id, misses)) ?? run
  }
  return run
}

/** What the fake saw between two snapshots of its stats. */
function fakeDelta(before: FakeGraphStats, after: FakeGraphStats): FakeDelta {
  const byStatus: Record<string, number> = {}
  for (const [status, n] of Object.entries(after.byStatus)) {
    const d = n - (before.byStatus[status] ?? 0)
    if (d > 0) byStatus[status] = d
  }
  const graphRequests = after.graphRequests - before.graphRequests
  return { graphRequests, tokenRequests: after.tokenRequests - before.tokenRequests, byStatus }
}

/** What looks wrong in a run that did not fail: rows written by a no-change sync, no groups. */
function warningsOf(run: SyncRun, noChange: boolean): string[] {
  const { metrics, counts } = run
  const warnings: string[] = []
  if (noChange && metrics.d1RowsWritten !== 0) {
    warnings.push(`no-change sync wrote ${int(metrics.d1RowsWritten)} D1 rows, expected 0`)
  }
  if (!noChange && run.status === 'succeeded' && counts.groupsCreated === 0) {
    warnings.push('first sync created no groups although a third of the users have agents')
  }
  return warnings
}

/** The figures of one finished (or still running) run, with its warnings. */
function runResult(
  name: string,
  run: SyncRun,
  wallS: number,
  fake: FakeDelta,
  noChange: boolean
): Omit<SyncResult, 'pollMisses'> {
  const { metrics, counts } = run
  const warnings = warningsOf(run, noChange)
  const ended = run.finishedAt === null ? undefined : Date.parse(run.finishedAt)
  const runS = ended === undefined ? undefined : (ended - Date.parse(run.startedAt)) / 1000
  const failed = run.status !== 'succeeded' && run.status !== 'running'
  const errors = failed ? run.errors.map((e) => e.message) : []
  return {
    name,
    wallS,
    runS,
    status: run.status,
    phase: run.phase,
    truncated: run.status === 'running',
    failures: failed ? 1 : 0,
    metrics,
    counts,
    fake,
    warnings,
    errors,
    run,
  }
}

/** Prints one sync's figures as soon as it ends (the tables repeat them at the end). */
function printRun(r: SyncResult): void {
  const m = r.metrics
  const c = Object.entries(r.counts)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ')
  console.log(
    [
      `  ${r.name}: ${r.status} (phase ${r.phase}), wall ${r.wallS.toFixed(1)} s (client),` +
        ` ${int(m.steps)} steps`,
      `  >>> LONGEST STEP ${int(m.longestStepMs)} ms <<< (must stay far below the Workers CPU limit)`,
      `  Graph requests ${int(m.graphRequests)} (the fake saw ${int(r.fake.graphRequests)}),` +
        ` token requests ${int(m.tokenRequests)} (fake ${int(r.fake.tokenRequests)}),` +
        ` D1 rows written ${int(m.d1RowsWritten)}`,
      `  counts: ${c}`,
      ...r.errors.map((e) => `  ! run error: ${e}`),
      ...r.warnings.map((w) => `WARNING: ${w}`),
    ].join('\n')
  )
}

/** One sync of the prepared instance, timed from the POST to the report saying it ended. */
export async function runSync(
  admin: Call,
  graph: ServedGraph,
  setup: SyncSetup,
  name: string,
  { noChange }: { noChange: boolean }
): Promise<SyncResult | Failed> {
  const path = `/tenants/${setup.tenantId}/instances/${setup.instanceId}/sync`
  const before = graph.fake.stats(SYNC_DIRECTORY_ID)
  const t0 = performance.now()
  const misses = { inARow: 0, total: 0 }
  try {
    const run = await syncUntilDone(admin, path, misses)
    const wallS = (performance.now() - t0) / 1000
    const fake = fakeDelta(before, graph.fake.stats(SYNC_DIRECTORY_ID))
    const result = { ...runResult(name, run, wallS, fake, noChange), pollMisses: misses.total }
    printRun(result)
    if (result.truncated) console.error(`  ! ${name}: still running at the bench deadline`)
    return result
  } catch (e) {
    console.error(`  ! ${name}: ${messageOf(e)}`)
    return { name, wallS: (performance.now() - t0) / 1000, failures: 1, errors: [messageOf(e)] }
  }
}
