/**
 * `npm run dev`: prepares local state (.dev.vars, migrations, one demo tenant per region, created
 * once and remembered in .wrangler/demo-tenants.json), serves the fake Microsoft Graph with the
 * contoso directory in this process on 127.0.0.1:8788 (GRAPH_PORT), registers the service's
 * multi-tenant app of .dev.vars there (the console's "Connect to Microsoft Entra ID": an admin
 * of contoso consents and is signed in for the sign-in that proves it), prints what a client needs (including curls for a pull sync against the
 * fake), then runs `wrangler dev` on 127.0.0.1:8787 (PORT). Ctrl-C, SIGINT or SIGTERM stops
 * both; so does wrangler exiting.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { fixtureSchema } from '../test/fakes/graph/directory.ts'
import {
  contosoInstance,
  devBanner,
  type Consent,
  type ContosoFixture,
  type DemoTenant,
} from './dev/banner.ts'
import { prepareDevVars } from './dev/vars.ts'
import { startFakeGraph, stopFakeGraph, type ServedGraph } from './fake-graph.ts'
import {
  migrate,
  queryLocal,
  seedAdmin,
  seedTenant,
  sqlString,
  type SeededTenant,
} from './local-db.ts'

const PORT = process.env.PORT ?? '8787'
const GRAPH_PORT = Number(process.env.GRAPH_PORT ?? '8788')
const DEMO_FILE = '.wrangler/demo-tenants.json'
const CONTOSO = 'test/fakes/graph/fixtures/contoso.json'
/** How long wrangler gets to shut down (and stop workerd) before it is killed. */
const STOP_GRACE_MS = 10_000
/**
 * Wrangler's own launcher, run with this Node: it passes SIGINT and SIGTERM on to wrangler, which
 * stops workerd. Through npx, a signal sent to this process alone would stop npm and leave
 * wrangler and workerd running.
 */
const WRANGLER = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))

/** The contoso fixture; the dev session needs its directory id (optional in a fixture). */
const contosoSchema = fixtureSchema.extend({ directoryId: z.string().min(1) })
type Contoso = z.output<typeof contosoSchema>

const seededSchema = z.object({ tenantId: z.string(), token: z.string() })
/** The demo tenants remembered in DEMO_FILE; those from before the console have no admin. */
const demoFileSchema = z.object({
  us: seededSchema.extend({
    admin: z.object({ email: z.string(), password: z.string() }).optional(),
  }),
  eu: seededSchema.extend({
    admin: z.object({ email: z.string(), password: z.string() }).optional(),
  }),
})

type Region = 'us' | 'eu'

/** Gives a demo tenant a console owner with a random password (printed by the banner). */
function addDemoAdmin(region: Region, tenant: SeededTenant): DemoTenant {
  const admin = {
    email: `admin@demo-${region}.example`,
    password: randomBytes(12).toString('base64url'),
  }
  seedAdmin({ ...tenant, region, name: `Demo admin (${region.toUpperCase()})`, ...admin })
  return { tenantId: tenant.tenantId, token: tenant.token, admin }
}

function demoTenants(): { us: DemoTenant; eu: DemoTenant } {
  if (existsSync(DEMO_FILE)) {
    const stored = demoFileSchema.parse(JSON.parse(readFileSync(DEMO_FILE, 'utf8')))
    // State from before the console: its demo tenants get their console admin now.
    const withAdmin = (region: Region): DemoTenant => {
      const { admin, ...tenant } = stored[region]
      return admin ? { ...tenant, admin } : addDemoAdmin(region, tenant)
    }
    const demo = { us: withAdmin('us'), eu: withAdmin('eu') }
    writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2))
    return demo
  }
  const demo = {
    us: addDemoAdmin('us', seedTenant({ region: 'us', name: 'Demo US' })),
    eu: addDemoAdmin('eu', seedTenant({ region: 'eu', name: 'Demo EU' })),
  }
  mkdirSync('.wrangler', { recursive: true })
  writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2))
  return demo
}

/** The id of the contoso pull instance an earlier `npm run dev` session created, if any. */
function existingInstance(tenantId: string, fixture: ContosoFixture): string | undefined {
  const nameCi = contosoInstance(fixture).name.toLowerCase()
  const where = `tenant_id = ${sqlString(tenantId)} AND name_ci = ${sqlString(nameCi)}`
  const rows = queryLocal({ db: 'DB_US', sql: `SELECT id FROM instances WHERE ${where}` })
  const id = rows[0]?.['id']
  return typeof id === 'string' ? id : undefined
}

async function serveContoso(fixture: Contoso): Promise<ServedGraph> {
  if (!Number.isInteger(GRAPH_PORT) || GRAPH_PORT < 1 || GRAPH_PORT > 65535) {
    throw new Error(`GRAPH_PORT must be a port number, got "${process.env.GRAPH_PORT ?? ''}"`)
  }
  try {
    const graph = await startFakeGraph(GRAPH_PORT)
    graph.fake.load(fixture.directoryId, fixture)
    return graph
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'EADDRINUSE')) throw e
    throw new Error(
      `127.0.0.1:${GRAPH_PORT} is taken; free it or set GRAPH_PORT for the fake Graph`,
      { cause: e }
    )
  }
}

/**
 * Registers the operator's multi-tenant app (ENTRA_APP_CLIENT_ID / _SECRET of .dev.vars) in the
 * fake with the local console's callback as redirect URI, under both names of this machine, and
 * has an admin of the contoso directory (a Global Administrator, the fake's default roles) answer
 * its consent prompts and stay signed in, so the console's sign-in that checks who consented
 * passes without a page. Undefined when .dev.vars has no such app (the console then offers only
 * the own-app form).
 */
function registerOperatorApp(
  graph: ServedGraph,
  vars: Map<string, string>,
  fixture: Contoso
): Consent | undefined {
  const clientId = vars.get('ENTRA_APP_CLIENT_ID')
  const clientSecret = vars.get('ENTRA_APP_CLIENT_SECRET')
  if (!clientId || !clientSecret) return undefined
  const callback = '/console/integrations/consent/callback'
  const redirectUris = ['127.0.0.1', 'localhost'].map((h) => `http://${h}:${PORT}${callback}`)
  graph.fake.registerApp(clientId, { clientSecret, redirectUris })
  const preferredUsername = 'admin@contoso.com'
  graph.fake.setConsenter(clientId, { directoryId: fixture.directoryId, preferredUsername })
  return { clientId, directoryId: fixture.directoryId, preferredUsername }
}

/**
 * --var overrides for the Graph URLs when .dev.vars does not point at the fake this process
 * serves (another GRAPH_PORT, or values edited by hand), so the Worker always reaches it.
 */
function graphVars(vars: Map<string, string>, graph: ServedGraph): string[] {
  const wanted = { GRAPH_BASE_URL: `${graph.base}/v1.0`, GRAPH_TOKEN_URL: graph.base }
  const differ = Object.entries(wanted).filter(([k, v]) => vars.get(k) !== v)
  for (const [k, v] of differ) {
    console.log(`${k} in .dev.vars is ${vars.get(k) ?? 'unset'}; wrangler dev gets --var ${k}:${v}`)
  }
  return differ.flatMap(([k, v]) => ['--var', `${k}:${v}`])
}

/**
 * Runs wrangler dev in this process group (Ctrl-C reaches it directly and its hot keys keep the
 * terminal); a signal sent to this process alone is passed on. Exits when wrangler exits.
 */
function runWrangler(args: string[], graph: ServedGraph): void {
  const argv = [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', PORT, ...args]
  const child = spawn(process.execPath, argv, { stdio: 'inherit' })
  const stop = (signal: NodeJS.Signals): void => {
    void stopFakeGraph(graph)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref()
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
  child.on('exit', (code, signal) => {
    void stopFakeGraph(graph).then(() => process.exit(code ?? (signal ? 130 : 0)))
  })
}

async function main(): Promise<void> {
  const vars = prepareDevVars()
  migrate()
  const demo = demoTenants()
  const fixture = contosoSchema.parse(JSON.parse(readFileSync(CONTOSO, 'utf8')))
  const existingId = existingInstance(demo.us.tenantId, fixture)
  const graph = await serveContoso(fixture)
  const base = `http://127.0.0.1:${PORT}`
  const adminToken = vars.get('ADMIN_TOKEN') ?? '(see .dev.vars)'
  const overrides = graphVars(vars, graph)
  const consent = registerOperatorApp(graph, vars, fixture)
  console.log(devBanner({ base, adminToken, demo, graph, fixture, existingId, consent }))
  runWrangler([...overrides, ...process.argv.slice(2)], graph)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
