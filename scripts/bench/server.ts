/**
 * Builds a Worker once and starts and stops `wrangler dev` on that build for the bench, in its
 * own process group so that stopping it also stops workerd (and /proc can sum the group's CPU),
 * with its output appended to a log file. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { wrangler } from '../local-db.ts'
import {
  ADMIN_TOKEN,
  BASE,
  BENCH_DIR,
  BUILD_DIR,
  CONSOLE_SESSION_SECRET,
  PERSIST,
  PORT,
  SERVER_LOG,
} from './config.ts'

/** A Worker the bench serves: its config, build, port, state, log and vars. */
export interface Target {
  config: string
  outdir: string
  script: string
  port: string
  base: string
  persist: string
  log: string
  vars: string[]
}

/** A running `wrangler dev` (the leader of its process group) and its exit. */
export type ServerProcess = ChildProcess & { exited: Promise<unknown> }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function answers(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })
    await res.text()
    return res.ok
  } catch {
    return false
  }
}

/**
 * The product's vars under the bench (local workerd has no jurisdictions; the console needs a
 * cookie-signing secret of 32 characters or more).
 */
const PRODUCT_VARS = [
  'DO_JURISDICTIONS:false',
  `ADMIN_TOKEN:${ADMIN_TOKEN}`,
  `CONSOLE_SESSION_SECRET:${CONSOLE_SESSION_SECRET}`,
]

/**
 * The product as `npm run bench:scale` runs it: the production entry and wrangler.toml, its
 * state in .bench/state.
 */
export const PRODUCT: Target = {
  config: 'wrangler.toml',
  outdir: BUILD_DIR,
  script: `${BUILD_DIR}/worker.js`,
  port: PORT,
  base: BASE,
  persist: PERSIST,
  log: SERVER_LOG,
  vars: PRODUCT_VARS,
}

/**
 * The product on the bench-only Worker entry (scripts/bench/worker/: it counts D1 round trips
 * and injects BENCH_D1_LATENCY_MS), as `npm run bench` and `npm run bench:agents` run it. Its
 * config is written by `writeBenchConfig` once .bench/ is fresh.
 */
export const BENCH_PRODUCT: Target = {
  config: `${BENCH_DIR}/wrangler.bench.toml`,
  outdir: `${BENCH_DIR}/build-product`,
  script: `${BENCH_DIR}/build-product/entry.js`,
  port: PORT,
  base: BASE,
  persist: PERSIST,
  log: `${BENCH_DIR}/wrangler-product.log`,
  vars: PRODUCT_VARS,
}

/**
 * The bench's copy of wrangler.toml with the bench-only entry (scripts/bench/worker/entry.ts)
 * as `main`: the same bindings, databases and migrations, so it serves the same local state.
 * Written next to the build, paths made relative to it.
 */
export function writeBenchConfig(path: string, entry: string): string {
  const toml = readFileSync('wrangler.toml', 'utf8')
    .replace(/^main = .*$/m, `main = "../${entry}"`)
    .replace(/^migrations_dir = "(.*)"$/gm, 'migrations_dir = "../$1"')
  if (!toml.includes(entry)) throw new Error('wrangler.toml has no main line to replace')
  writeFileSync(path, toml)
  return path
}

/**
 * Bundles a Worker once (`wrangler deploy --dry-run`, nothing is uploaded) into its outdir,
 * which the server then runs with --no-bundle: `wrangler dev` on sources would rebuild and
 * restart workerd whenever a file changes, killing requests in flight.
 */
export function buildWorker(target: Target = PRODUCT): void {
  // Absolute paths: wrangler resolves them against the config file's folder otherwise.
  const args = ['deploy', '--dry-run', '--outdir', resolve(target.outdir), '-c', target.config]
  wrangler(args, {
    quiet: true,
    timeoutMs: 5 * 60_000,
  })
}

/**
 * Spawns `wrangler dev` on a target's build, on 127.0.0.1, with its persisted state and vars
 * plus `extraVars` ("NAME:value", e.g. where the fake Graph listens, or the injected latency).
 */
export function startServer(target: Target = PRODUCT, extraVars: string[] = []): ServerProcess {
  const log = openSync(target.log, 'a')
  const args = ['wrangler', 'dev', resolve(target.script), '--no-bundle', '-c', target.config]
  args.push('--ip', '127.0.0.1', '--port', target.port, '--persist-to', resolve(target.persist))
  // Its own inspector port, next to its port: the default (9229) may be another server's.
  const inspector = String(Number(target.port) + 10)
  args.push('--inspector-port', inspector, '--log-level', 'warn')
  args.push('--show-interactive-dev-session=false')
  const vars = [...target.vars, ...extraVars].flatMap((v) => ['--var', v])
  const child = spawn('npx', [...args, ...vars], {
    stdio: ['ignore', log, log],
    detached: true,
  })
  closeSync(log)
  return Object.assign(child, {
    exited: new Promise((resolve) => child.once('exit', resolve)),
  })
}

/** Resolves once GET /health answers 200; throws after two minutes or if wrangler exits. */
export async function waitReady(child: ServerProcess, target: Target = PRODUCT): Promise<void> {
  const state = { exited: false }
  void child.exited.then(() => (state.exited = true))
  for (let i = 0; i < 240 && !state.exited; i++) {
    if (await answers(target.base)) return
    await sleep(500)
  }
  const why = state.exited ? 'it exited' : 'timeout'
  throw new Error(`wrangler dev did not become ready (${why}); see ${target.log}`)
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false
  try {
    process.kill(-child.pid, signal)
    return true
  } catch {
    return false // No process of the group is left.
  }
}

/**
 * Stops the server's whole process group (npx, wrangler, workerd): SIGTERM, then SIGKILL if any
 * of it is still alive after 15 s. Resolves once the group is gone, so the state files are free.
 */
export async function stopServer(child: ServerProcess | undefined): Promise<void> {
  if (!child) return
  signalGroup(child, 'SIGTERM')
  for (let i = 0; i < 60 && signalGroup(child, 0); i++) await sleep(250)
  if (signalGroup(child, 'SIGKILL')) {
    for (let i = 0; i < 20 && signalGroup(child, 0); i++) await sleep(250)
  }
  await Promise.race([child.exited, sleep(2000)])
}

/**
 * Runs a bench's `main` and exits with its code (1 on an error). Ctrl-C first kills every
 * server `running()` names, whole process groups, so no wrangler dev or workerd outlives it.
 */
export function runBench(
  main: () => Promise<number>,
  running: () => readonly (ServerProcess | undefined)[]
): void {
  process.on('SIGINT', () => {
    for (const child of running()) if (child) signalGroup(child, 'SIGKILL')
    process.exit(130)
  })
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    }
  )
}
