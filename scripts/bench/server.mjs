/**
 * Builds the Worker once and starts and stops `wrangler dev` on that build for the bench, in its
 * own process group so that stopping it also stops workerd, with its output appended to
 * .bench/wrangler.log. Every wait is bounded.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { wrangler } from '../local-db.mjs'
import { ADMIN_TOKEN, BASE, BUILD_DIR, PERSIST, PORT, SERVER_LOG } from './config.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function answers() {
  try {
    const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(2000) })
    await res.text()
    return res.ok
  } catch {
    return false
  }
}

const VARS = ['DO_JURISDICTIONS:false', `ADMIN_TOKEN:${ADMIN_TOKEN}`]

/**
 * Bundles src/ once (`wrangler deploy --dry-run`, nothing is uploaded) into .bench/build, which
 * the server then runs with --no-bundle: `wrangler dev` on src/ would rebuild and restart workerd
 * whenever a file there changes, killing requests in flight and measuring a moving target.
 */
export function buildWorker() {
  wrangler(['deploy', '--dry-run', '--outdir', BUILD_DIR], { quiet: true, timeoutMs: 5 * 60_000 })
}

/**
 * Spawns `wrangler dev` on the build, on 127.0.0.1, with the bench's persisted state and vars
 * plus `extraVars` ("NAME:value", e.g. where the fake Graph listens).
 */
export function startServer(extraVars = []) {
  const log = openSync(SERVER_LOG, 'a')
  const args = ['wrangler', 'dev', `${BUILD_DIR}/worker.js`, '--no-bundle', '--ip', '127.0.0.1']
  args.push('--port', PORT, '--persist-to', PERSIST)
  const vars = [...VARS, ...extraVars].flatMap((v) => ['--var', v])
  const child = spawn('npx', [...args, ...vars], {
    stdio: ['ignore', log, log],
    detached: true,
  })
  closeSync(log)
  child.exited = new Promise((resolve) => child.once('exit', resolve))
  return child
}

/** Resolves once GET /health answers 200; throws after two minutes or if wrangler exits. */
export async function waitReady(child) {
  let exited = false
  child.exited.then(() => (exited = true))
  for (let i = 0; i < 240 && !exited; i++) {
    if (await answers()) return
    await sleep(500)
  }
  const why = exited ? 'it exited' : 'timeout'
  throw new Error(`wrangler dev did not become ready (${why}); see ${SERVER_LOG}`)
}

function signalGroup(child, signal) {
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
export async function stopServer(child) {
  if (!child) return
  signalGroup(child, 'SIGTERM')
  for (let i = 0; i < 60 && signalGroup(child, 0); i++) await sleep(250)
  if (signalGroup(child, 'SIGKILL')) {
    for (let i = 0; i < 20 && signalGroup(child, 0); i++) await sleep(250)
  }
  await Promise.race([child.exited, sleep(2000)])
}
