/**
 * Global setup of the browser tests: serves the fake Microsoft Graph (contoso directory) in this
 * process, with the service's multi-tenant app registered there for "Connect to Microsoft Entra
 * ID" (an admin of contoso consents to it), starts `wrangler dev` on a free 127.0.0.1 port with
 * fresh local state (both regional databases migrated) and that app's settings, and hands the
 * tests the URLs and the admin token. Everything it starts is stopped at the end, and every wait
 * is bounded.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createFakeGraph } from '../fakes/graph/app.ts'
import { serveFakeGraph } from '../fakes/graph/server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    adminToken: string
    graphBase: string
    contosoDirectoryId: string
  }
}

const ADMIN_TOKEN = 'browser-test-admin-token'
/** The service's multi-tenant Entra app, as the fake knows it and the Worker is configured. */
const OPERATOR_APP = {
  clientId: '33333333-3333-4333-8333-333333333333',
  clientSecret: 'Browser~Tests.OperatorApp.Secret',
}
const ROOT = join(import.meta.dirname, '../..')
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')
const CONTOSO = join(ROOT, 'test/fakes/graph/fixtures/contoso.json')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function wrangler(args: string[]): void {
  execFileSync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 5 * 60_000,
    killSignal: 'SIGKILL',
  })
}

async function waitReady(base: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`wrangler dev did not become ready:\n${log().slice(-4000)}`)
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const state = mkdtempSync(join(tmpdir(), 'console-browser-'))
  for (const db of ['DB_US', 'DB_EU'])
    wrangler(['d1', 'migrations', 'apply', db, '--local', '--persist-to', state])
  const fixture: unknown = JSON.parse(readFileSync(CONTOSO, 'utf8'))
  const directoryId =
    typeof fixture === 'object' && fixture && 'directoryId' in fixture
      ? String(fixture.directoryId)
      : 'contoso'
  const fake = createFakeGraph()
  fake.load(directoryId, fixture)
  const graphServer = await serveFakeGraph(fake, 0)
  const graphAddress = graphServer.address()
  const graphBase = `http://127.0.0.1:${typeof graphAddress === 'object' && graphAddress ? String(graphAddress.port) : '0'}`
  const port = await freePort()
  const base = `http://127.0.0.1:${String(port)}`
  fake.registerApp(OPERATOR_APP.clientId, {
    clientSecret: OPERATOR_APP.clientSecret,
    redirectUris: [`${base}/console/integrations/consent/callback`],
  })
  fake.setConsenter(OPERATOR_APP.clientId, { directoryId })
  const vars = {
    ADMIN_TOKEN,
    DO_JURISDICTIONS: 'false',
    SECRETS_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
    CONSOLE_SESSION_SECRET: 'browser-tests-console-session-secret-0123456789',
    GRAPH_BASE_URL: `${graphBase}/v1.0`,
    GRAPH_TOKEN_URL: graphBase,
    ENTRA_APP_CLIENT_ID: OPERATOR_APP.clientId,
    ENTRA_APP_CLIENT_SECRET: OPERATOR_APP.clientSecret,
  }
  const args = [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port)]
  args.push('--persist-to', state, '--log-level', 'warn', '--show-interactive-dev-session=false')
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`)
  let output = ''
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  await waitReady(base, child, () => output)
  project.provide('baseUrl', base)
  project.provide('adminToken', ADMIN_TOKEN)
  project.provide('graphBase', graphBase)
  project.provide('contosoDirectoryId', directoryId)
  return async () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 1000))
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await new Promise<void>((resolve) => {
      graphServer.close(() => resolve())
      graphServer.closeAllConnections()
    })
    rmSync(state, { recursive: true, force: true })
  }
}
