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
import { contosoInstance, devBanner } from './dev/banner.mjs'
import { prepareDevVars } from './dev/vars.mjs'
import { startFakeGraph, stopFakeGraph } from './fake-graph.mjs'
import { migrate, queryLocal, seedAdmin, seedTenant, sqlString } from './local-db.mjs'

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

/** Gives a demo tenant a console owner with a random password (printed by the banner). */
function addDemoAdmin(region, tenant) {
  const admin = {
    email: `admin@demo-${region}.example`,
    password: randomBytes(12).toString('base64url'),
  }
  seedAdmin({ ...tenant, region, name: `Demo admin (${region.toUpperCase()})`, ...admin })
  return { ...tenant, admin }
}

function demoTenants() {
  if (existsSync(DEMO_FILE)) {
    const demo = JSON.parse(readFileSync(DEMO_FILE, 'utf8'))
    // State from before the console: its demo tenants get their console admin now.
    for (const region of ['us', 'eu'])
      if (!demo[region].admin) demo[region] = addDemoAdmin(region, demo[region])
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
function existingInstance(tenantId, fixture) {
  const nameCi = contosoInstance(fixture).name.toLowerCase()
  const where = `tenant_id = ${sqlString(tenantId)} AND name_ci = ${sqlString(nameCi)}`
  const rows = queryLocal({ db: 'DB_US', sql: `SELECT id FROM instances WHERE ${where}` })
  return rows[0]?.id
}

async function serveContoso(fixture) {
  if (!Number.isInteger(GRAPH_PORT) || GRAPH_PORT < 1 || GRAPH_PORT > 65535) {
    throw new Error(`GRAPH_PORT must be a port number, got "${process.env.GRAPH_PORT}"`)
  }
  try {
    const graph = await startFakeGraph(GRAPH_PORT)
    graph.fake.load(fixture.directoryId, fixture)
    return graph
  } catch (e) {
    if (e?.code !== 'EADDRINUSE') throw e
    throw new Error(
      `127.0.0.1:${GRAPH_PORT} is taken; free it or set GRAPH_PORT for the fake Graph`
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
function registerOperatorApp(graph, vars, fixture) {
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
function graphVars(vars, graph) {
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
function runWrangler(args, graph) {
  const argv = [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', PORT, ...args]
  const child = spawn(process.execPath, argv, { stdio: 'inherit' })
  const stop = (signal) => {
    stopFakeGraph(graph)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref()
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
  child.on('exit', (code, signal) => {
    stopFakeGraph(graph).then(() => process.exit(code ?? (signal ? 130 : 0)))
  })
}

async function main() {
  const vars = prepareDevVars()
  migrate()
  const demo = demoTenants()
  const fixture = JSON.parse(readFileSync(CONTOSO, 'utf8'))
  const existingId = existingInstance(demo.us.tenantId, fixture)
  const graph = await serveContoso(fixture)
  const base = `http://127.0.0.1:${PORT}`
  const adminToken = vars.get('ADMIN_TOKEN') ?? '(see .dev.vars)'
  const overrides = graphVars(vars, graph)
  const consent = registerOperatorApp(graph, vars, fixture)
  console.log(devBanner({ base, adminToken, demo, graph, fixture, existingId, consent }))
  runWrangler([...overrides, ...process.argv.slice(2)], graph)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
