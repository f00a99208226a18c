/**
 * Bench settings, read once from the environment: sizes (scaled by BENCH_SCALE), which phases
 * run (BENCH_ONLY, BENCH_SKIP_SYNC), where the server listens and keeps its state, the admin
 * token and sealing key it is started with, and the global deadline every loop checks.
 */

const scale = Number(process.env.BENCH_SCALE ?? '1')
if (!Number.isFinite(scale) || scale <= 0) {
  throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`)
}

/** Fraction of the full-size run (1 = 10,000 users, 100,000 after the bulk load). */
export const SCALE = scale
export const PORT = process.env.BENCH_PORT ?? '8799'
export const BASE = `http://127.0.0.1:${PORT}`
export const BENCH_DIR = '.bench'
export const PERSIST = `${BENCH_DIR}/state`
/** The Worker bundle the server runs (built once per bench run, see server.ts). */
export const BUILD_DIR = `${BENCH_DIR}/build`
export const SERVER_LOG = `${BENCH_DIR}/wrangler.log`
export const RESULTS_FILE = `${BENCH_DIR}/results.json`
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '16')
/** Passed to `wrangler dev` with --var; the admin API answers 503 without one. */
export const ADMIN_TOKEN = 'bench-admin-token'
/** 32 bytes, base64: seals the pull instance's client secret. Bench-only, never a real key. */
export const SECRETS_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
/** Signs the console's session cookies under the bench. */
export const CONSOLE_SESSION_SECRET = 'bench-console-session-secret-0123456789'
/** One request may not take longer than this (an agent batch is the slowest). */
export const REQUEST_TIMEOUT_MS = 120_000

/**
 * Every loop stops at this deadline even if its count is not reached, and phases not yet begun
 * are skipped, so a full-scale run on a slow machine still ends in bounded time.
 */
export const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MIN ?? '22') * 60_000
const STARTED = Date.now()
export const pastDeadline = () => Date.now() - STARTED >= DEADLINE_MS

const only = process.env.BENCH_ONLY ?? ''
if (only !== '' && only !== 'sync') {
  throw new Error(`BENCH_ONLY accepts only "sync", got "${only}"`)
}
/** BENCH_ONLY=sync: the pull sync phase alone (it brings its own tenant and directory). */
export const ONLY_SYNC = only === 'sync'
/** BENCH_SKIP_SYNC=1: everything but the pull sync phase. */
export const SKIP_SYNC = process.env.BENCH_SKIP_SYNC === '1'
if (ONLY_SYNC && SKIP_SYNC) {
  throw new Error('BENCH_ONLY=sync and BENCH_SKIP_SYNC=1 exclude each other')
}

const n = (count: number): number => Math.max(1, Math.round(count * SCALE))

export const SIZES = {
  users: n(10_000),
  groups: n(1_000),
  membersPerGroup: 20,
  membersPerPatch: 5,
  big: n(100_000),
  lookups: n(2_000),
  agents: n(10_000),
  agentBatch: 500,
  /** The generated Entra directory of the pull sync phase (users : groups stays 25 : 1). */
  syncUsers: n(50_000),
  syncGroups: n(2_000),
  /** Every how many Entra users one reports an agent (by UPN): about a third are linked. */
  syncAgentEvery: 3,
  /** Agent reports per request in the sync phase: the admin API's maximum. */
  syncAgentBatch: 1000,
  /** How often a running sync's report is read. */
  syncPollMs: 2000,
}

/**
 * The comparative bench (`npm run bench`): an Entra-shaped load against the product and the
 * minimal floor, at each concurrency, then member PATCHes and reads at each injected D1 latency.
 */
const entraScale = Number(process.env.BENCH_SCALE ?? '0.5')
const m = (count: number): number => Math.max(1, Math.round(count * entraScale))
/** The comparative bench's own default scale: 0.5 keeps a run near 10 minutes on 2 cores. */
export const ENTRA_SCALE = entraScale
export const ENTRA = {
  /** At BENCH_SCALE=1 the full Entra-shaped load: 2,000 users, 200 groups of 20 members. */
  users: Math.max(40, m(2_000)),
  groups: Math.max(2, m(200)),
  membersPerGroup: 20,
  membersPerPatch: 10,
  /** Seconds a phase run at an injected latency may take at most. */
  latencyPhaseMaxS: 30,
}
const list = (value: string | undefined, fallback: string): number[] =>
  (value ?? fallback).split(',').map((v) => {
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number list: "${value}"`)
    return n
  })
/** BENCH_CONCURRENCIES=8,32: client concurrency of each full load (one tenant per value). */
export const CONCURRENCIES = list(process.env.BENCH_CONCURRENCIES, '8,32')
/** BENCH_LATENCIES=0,10,50: ms injected before every D1 round trip; 0 runs the full load. */
export const LATENCIES = list(process.env.BENCH_LATENCIES, '0,10,50')
export const MINIMAL_PORT = process.env.BENCH_MINIMAL_PORT ?? '8798'
/** The minimal floor's token secret (its tokens are `<tenant>.<secret>`). Bench-only. */
export const MINIMAL_SECRET = 'bench-minimal-secret'

/** The userName (and work email) of the i-th bench user. */
export const userName = (i: number): string => `bench.user${i}@contoso.com`
