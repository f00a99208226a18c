/**
 * `npm run dev`: prepares local state (vars, migrations, one demo tenant per region, created
 * once and remembered in .wrangler/demo-tenants.json), prints what a client needs, then runs
 * `wrangler dev` on 127.0.0.1:8787.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { migrate, seedTenant } from './local-db.mjs'

const PORT = process.env.PORT ?? '8787'
const DEMO_FILE = '.wrangler/demo-tenants.json'

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars')
  console.log('Created .dev.vars from .dev.vars.example')
}
const adminToken = /ADMIN_TOKEN="?([^"\n]+)"?/.exec(readFileSync('.dev.vars', 'utf8'))?.[1] ?? '(see .dev.vars)'

migrate()
let demo = existsSync(DEMO_FILE) ? JSON.parse(readFileSync(DEMO_FILE, 'utf8')) : undefined
if (!demo) {
  demo = {
    us: seedTenant({ region: 'us', name: 'Demo US' }),
    eu: seedTenant({ region: 'eu', name: 'Demo EU' }),
  }
  mkdirSync('.wrangler', { recursive: true })
  writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2))
}

const base = `http://127.0.0.1:${PORT}`
console.log(`
SCIM service on ${base}
  Admin API:   ${base}/admin/v1   (Authorization: Bearer ${adminToken})
  US tenant:   ${demo.us.tenantId}
    SCIM URL:  ${base}/scim/v2
    Token:     ${demo.us.token}
  EU tenant:   ${demo.eu.tenantId}
    SCIM URL:  ${base}/scim/v2
    Token:     ${demo.eu.token}

Try: curl -H "Authorization: Bearer ${demo.us.token}" ${base}/scim/v2/Users
`)

const child = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', PORT, ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
