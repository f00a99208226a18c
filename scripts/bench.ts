/**
 * `npm run bench`: the product against a minimal Worker of the same design, under `wrangler
 * dev` on 127.0.0.1, in one run so the ratios compare like with like on a noisy machine.
 *
 * Both Workers run from bench-only entries (scripts/bench/worker/entry.ts wraps the production
 * Worker; scripts/bench/minimal/ is the floor) whose D1 bindings are tapped: every response says
 * its D1 round trips, and every round trip first waits the injected latency. Production code
 * carries none of it. For each concurrency (BENCH_CONCURRENCIES, default 8,32) a tenant of each
 * Worker gets the Entra-shaped load (scripts/bench/entra.ts), phase by phase, the two Workers
 * taking turns; then, at each injected latency (BENCH_LATENCIES, default 0,10,50), both servers
 * restart with it and member PATCHes and reads run again. Server CPU per request comes from
 * /proc. Sizes scale with BENCH_SCALE (default 0.5 here; 1 is the full 2,000-user load); loops
 * are bounded by count, per-phase time and a global deadline; tables are printed and written
 * to .bench/results.json. Each server start is followed by an unmeasured warm-up of both Workers
 * alike. `npm run bench:scale` is the older single-Worker bench at 100,000
 * users with agents, history and the pull sync.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { migrate, seedTenant, wrangler } from './local-db.ts'
import {
  BENCH_DIR,
  CONCURRENCIES,
  DEADLINE_MS,
  ENTRA,
  LATENCIES,
  MINIMAL_PORT,
  MINIMAL_SECRET,
  PERSIST,
  ENTRA_SCALE,
} from './bench/config.ts'
import {
  compareReport,
  type Measured,
  type Pair,
  type Run,
  type TripStats,
} from './bench/compare-report.ts'
import { groupCpu, type ServerCpu } from './bench/cpu.ts'
import {
  entraPhases,
  latencyPhases,
  newState,
  type LoadPhase,
  type LoadState,
} from './bench/entra.ts'
import { scimClient, type Call, type Trips } from './bench/http.ts'
import { runPhase } from './bench/measure.ts'
import {
  BENCH_PRODUCT,
  buildWorker,
  startServer,
  stopServer,
  waitReady,
  writeBenchConfig,
  type ServerProcess,
  type Target,
  runBench,
} from './bench/server.ts'

/** One of the two Workers compared, its server while it runs, and who hears of its round trips. */
interface BenchTarget extends Target {
  name: keyof Pair
  child?: ServerProcess | undefined
  sink?: ((trips: Trips) => void) | undefined
}

const PRODUCT: BenchTarget = { name: 'product', ...BENCH_PRODUCT }
const MINIMAL: BenchTarget = {
  name: 'minimal',
  config: 'scripts/bench/minimal/wrangler.toml',
  outdir: `${BENCH_DIR}/build-minimal`,
  script: `${BENCH_DIR}/build-minimal/worker.js`,
  port: MINIMAL_PORT,
  base: `http://127.0.0.1:${MINIMAL_PORT}`,
  persist: `${BENCH_DIR}/minimal-state`,
  log: `${BENCH_DIR}/wrangler-minimal.log`,
  vars: [`MIN_SECRET:${MINIMAL_SECRET}`],
}
const TARGETS = [PRODUCT, MINIMAL]

/** The minimal floor's schema, in its own local D1. */
function migrateMinimal() {
  const file = 'scripts/bench/minimal/schema.sql'
  const args = ['d1', 'execute', 'DB', '--local', '--file', file, '-c', MINIMAL.config]
  wrangler([...args, '--persist-to', resolve(MINIMAL.persist), '--yes'], { quiet: true })
}

/** One tenant per concurrency on each Worker, with its client and the ids the load makes. */
function tenants(): Record<string, { scim: Call; state: LoadState }> {
  const out: Record<string, { scim: Call; state: LoadState }> = {}
  for (const c of CONCURRENCIES) {
    const { token } = seedTenant({ region: 'us', name: `Bench c${c}`, persistTo: PERSIST })
    const minimalToken = `bench_c${c}_${randomBytes(6).toString('hex')}.${MINIMAL_SECRET}`
    const tokens: [BenchTarget, string][] = [
      [PRODUCT, token],
      [MINIMAL, minimalToken],
    ]
    for (const [target, t] of tokens) {
      const scim = scimClient(t, { base: target.base, onTrips: (trips) => target.sink?.(trips) })
      out[`${target.name}:${c}`] = { scim, state: newState() }
    }
  }
  return out
}

/** Mean worker and object trips, and the usual `worker+object` (the most frequent). */
function tripStats(list: Trips[]): TripStats | undefined {
  if (list.length === 0) return undefined
  const freq = new Map<string, number>()
  for (const t of list) {
    const key = `${t.worker}+${t.object}`
    freq.set(key, (freq.get(key) ?? 0) + 1)
  }
  const usual = [...freq.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ''
  const mean = (f: (t: Trips) => number): number => list.reduce((a, t) => a + f(t), 0) / list.length
  return { usual, worker: mean((t) => t.worker), object: mean((t) => t.object) }
}

/** Runs one phase against one target, with its round trips and its server's CPU. */
async function measured(
  target: BenchTarget,
  spec: LoadPhase,
  concurrency: number
): Promise<Measured> {
  const seen: Trips[] = []
  target.sink = (t) => seen.push(t)
  const pid = target.child?.pid
  const cpuNow = () => (pid === undefined ? undefined : groupCpu(pid, target.port))
  const cpu0 = cpuNow()
  const name = `${target.name} ${spec.kind}`
  const r = await runPhase({ ...spec, name, concurrency })
  const cpu1 = cpuNow()
  target.sink = undefined
  const per = (f: (c: ServerCpu) => number): number | undefined =>
    cpu0 === undefined || cpu1 === undefined || r.count === 0
      ? undefined
      : (f(cpu1) - f(cpu0)) / r.count
  const cpuMsPerRequest = per((c) => c.total)
  const runtimeCpuMsPerRequest = per((c) => c.runtime)
  const result = {
    ...r,
    kind: spec.kind,
    cpuMsPerRequest,
    runtimeCpuMsPerRequest,
    trips: tripStats(seen),
  }
  const fmt = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d))
  console.log(
    `  ${name.padEnd(44)} ${String(r.count).padStart(5)} req ${fmt(r.rps).padStart(7)}/s` +
      `  p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} ms  cpu ${fmt(cpuMsPerRequest, 2)}` +
      ` (runtime ${fmt(runtimeCpuMsPerRequest, 2)}) ms/req` +
      `  trips ${result.trips?.usual ?? '-'}${r.failures ? `  FAILURES ${r.failures}` : ''}`
  )
  return result
}

/** One after the other: two wrangler dev starting at once can pick the same free port. */
async function startAll(latency: number): Promise<void> {
  for (const t of TARGETS) {
    const child = startServer(t, [`BENCH_D1_LATENCY_MS:${latency}`])
    t.child = child
    await waitReady(child, t)
  }
}

/** Unmeasured lookups of names that exist nowhere, on each Worker, before it is measured. */
const WARM_UP_REQUESTS = 300

/**
 * Warms both freshly started Workers alike (their code compiled and optimized, their isolates
 * up), so a run measures them serving, not starting: each answers WARM_UP_REQUESTS lookups of
 * names no tenant has, at the run's first concurrency, through a tenant's own client.
 */
async function warmUp(clients: Record<string, { scim: Call; state: LoadState }>): Promise<void> {
  const concurrency = CONCURRENCIES[0] ?? 8
  for (const target of TARGETS) {
    const client = clients[`${target.name}:${String(concurrency)}`]
    if (!client) continue
    const r = await runPhase({
      name: `${target.name} warm-up`,
      count: WARM_UP_REQUESTS,
      concurrency,
      task: (i) =>
        client.scim(
          'GET',
          `/Users?filter=${encodeURIComponent(`userName eq "warm-up-${String(i)}"`)}`,
          undefined,
          200
        ),
    })
    if (r.failures > 0) throw new Error(`${target.name} warm-up: ${r.errors.join('; ')}`)
  }
}

async function stopAll(): Promise<void> {
  for (const t of TARGETS) {
    await stopServer(t.child)
    t.child = undefined
  }
}

/** One load (full at latency 0, else the latency phases) at one concurrency, Workers in turn. */
async function runLoad(
  clients: Record<string, { scim: Call; state: LoadState }>,
  latency: number,
  concurrency: number,
  round: number
): Promise<Run> {
  const specs = (target: BenchTarget): LoadPhase[] => {
    const client = clients[`${target.name}:${concurrency}`]
    if (!client) throw new Error(`no ${target.name} tenant for concurrency ${concurrency}`)
    const { scim, state } = client
    return latency === 0 ? entraPhases(scim, state) : latencyPhases(scim, state, round)
  }
  const perTarget = TARGETS.map(specs)
  const phases: Record<string, Pair> = {}
  console.log(`\nD1 latency ${latency} ms, concurrency ${concurrency}`)
  for (const [i, phase] of (perTarget[0] ?? []).entries()) {
    const row: Pair = {}
    for (const [j, target] of TARGETS.entries()) {
      const spec = perTarget[j]?.[i]
      if (spec) row[target.name] = await measured(target, spec, concurrency)
    }
    phases[phase.key] = row
  }
  return { latency, concurrency, full: latency === 0, phases }
}

async function main(): Promise<number> {
  const t0 = Date.now()
  rmSync(BENCH_DIR, { recursive: true, force: true })
  mkdirSync(BENCH_DIR, { recursive: true })
  writeBenchConfig(PRODUCT.config, 'scripts/bench/worker/entry.ts')
  migrate(PERSIST)
  migrateMinimal()
  const clients = tenants()
  const latencies = [0, ...LATENCIES.filter((l) => l !== 0)]
  console.log(
    `bench: scale ${ENTRA_SCALE}: ${ENTRA.users} users, ${ENTRA.groups} groups x ${ENTRA.membersPerGroup}` +
      ` members in PATCHes of ${ENTRA.membersPerPatch}; concurrency ${CONCURRENCIES.join(', ')};` +
      ` D1 latency ${latencies.join(', ')} ms; deadline ${DEADLINE_MS / 60_000} min`
  )
  for (const t of TARGETS) buildWorker(t)
  const runs: Run[] = []
  try {
    for (const [round, latency] of latencies.entries()) {
      await startAll(latency)
      await warmUp(clients)
      for (const c of CONCURRENCIES) runs.push(await runLoad(clients, latency, c, round))
      await stopAll()
    }
  } finally {
    await stopAll()
  }
  const wallS = (Date.now() - t0) / 1000
  const meta = { scale: ENTRA_SCALE, ...ENTRA, concurrencies: CONCURRENCIES, latencies, wallS }
  compareReport({ meta: { ...meta, startedAt: new Date(t0).toISOString() }, runs })
  console.log(`total wall time ${(wallS / 60).toFixed(1)} min`)
  const measuredAll = runs.flatMap((r) =>
    Object.values(r.phases).flatMap((p) => [p.product, p.minimal])
  )
  return measuredAll.some((r) => r !== undefined && r.failures > 0) ? 1 : 0
}

runBench(main, () => TARGETS.map((t) => t.child))
