/**
 * `npm run bench:directory`: the directory's own rules on the write path, each against the same
 * writes in a tenant without them, in the same run, at each injected D1 latency (the bench
 * Worker entry, scripts/bench/worker/, waits BENCH_D1_LATENCY_MS before every D1 round trip):
 *
 * - user creates in a tenant whose agents reported before its users are provisioned (an
 *   ActivTrak customer connecting Entra or Okta): each create names the UPN of one agent, so
 *   each links one; every link is checked afterwards;
 * - member PATCHes (10 new members into a group each) in a tenant whose groups are its roles
 *   (TrackTik; Apty's role-bearing groups take the same path): each recomputes its members'
 *   roles.
 *
 * The two tenants of a comparison take turns going first, one latency to the next. Settings:
 * BENCH_DIRECTORY_WRITES (creates, and users for the member PATCHes, per tenant; default
 * 2,000), BENCH_CONCURRENCY (16), BENCH_DIRECTORY_LATENCIES (0,20,50), BENCH_DEADLINE_MIN.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { migrate, seedTenant, type SeededTenant } from './local-db.ts'
import { BENCH_DIR, CONCURRENCY, PERSIST, RESULTS_FILE } from './bench/config.ts'
import { bulkLoadUsers } from './bench/db.ts'
import { adminClient, scimClient, type Call } from './bench/http.ts'
import { runPhase, type PhaseResult } from './bench/measure.ts'
import { withId } from './bench/responses.ts'
import {
  BENCH_PRODUCT,
  buildWorker,
  runBench,
  startServer,
  stopServer,
  waitReady,
  writeBenchConfig,
  type ServerProcess,
} from './bench/server.ts'

const WRITES = Number(process.env.BENCH_DIRECTORY_WRITES ?? '2000')
const LATENCIES = (process.env.BENCH_DIRECTORY_LATENCIES ?? '0,20,50').split(',').map(Number)
const AGENT_BATCH = 500
const MEMBERS_PER_PATCH = 10

let server: ServerProcess | undefined

const idPage = z.object({ Resources: z.array(withId).default([]) })
const linkOfAgent = z.object({ userId: z.string().nullable(), linkRule: z.string().nullable() })

const upn = (round: number, i: number) => `r${String(round)}.person${String(i)}@contoso.com`

/** Reports WRITES agents, the i-th by the UPN of the i-th user to come, upper-cased. */
async function reportAgents(admin: Call, tenantId: string, round: number): Promise<void> {
  const lastSeen = new Date().toISOString()
  for (let start = 0; start < WRITES; start += AGENT_BATCH) {
    const agents = Array.from({ length: Math.min(AGENT_BATCH, WRITES - start) }, (_, j) => ({
      id: `dev-${String(start + j)}`,
      logonName: `person${String(start + j)}`,
      domain: 'CONTOSO',
      upn: upn(round, start + j).toUpperCase(),
      lastSeen,
    }))
    await admin('POST', `/tenants/${tenantId}/agents`, { agents }, 200)
  }
}

/** WRITES creates at CONCURRENCY; the phase and the ids created, by index. */
async function creates(
  name: string,
  scim: Call,
  round: number
): Promise<{ phase: PhaseResult; ids: string[] }> {
  const ids: string[] = []
  const phase = await runPhase({
    name,
    count: WRITES,
    concurrency: CONCURRENCY,
    task: async (i) => {
      ids[i] = (await scim('POST', '/Users', { userName: upn(round, i) }, 201, withId)).id
    },
  })
  return { phase, ids }
}

/** Agents not linked to the user their UPN names (checks every one). */
async function wrongLinks(admin: Call, tenantId: string, ids: string[]): Promise<number> {
  let wrong = 0
  for (const [i, id] of ids.entries()) {
    const path = `/tenants/${tenantId}/agents/dev-${String(i)}`
    const agent = await admin('GET', path, undefined, 200, linkOfAgent)
    if (agent.userId !== id || agent.linkRule !== 'upn') wrong++
  }
  return wrong
}

/** The tenant's user ids (bulk loaded before the server started), and one empty group per PATCH. */
async function memberSetup(scim: Call): Promise<{ users: string[]; groups: string[] }> {
  const users: string[] = []
  for (let start = 1; users.length < WRITES; start += 1000) {
    const path = `/Users?startIndex=${String(start)}&count=1000&attributes=id`
    const page = await scim('GET', path, undefined, 200, idPage)
    if (page.Resources.length === 0) break
    users.push(...page.Resources.map((u) => u.id))
  }
  const groups: string[] = []
  for (let i = 0; i * MEMBERS_PER_PATCH < users.length; i++) {
    groups.push((await scim('POST', '/Groups', { displayName: `G${String(i)}` }, 201, withId)).id)
  }
  return { users, groups }
}

/** One PATCH per group, adding the next MEMBERS_PER_PATCH users. */
async function memberPatches(name: string, scim: Call): Promise<PhaseResult> {
  const { users, groups } = await memberSetup(scim)
  return runPhase({
    name,
    count: groups.length,
    concurrency: CONCURRENCY,
    task: (i) =>
      scim(
        'PATCH',
        `/Groups/${groups[i] ?? ''}`,
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            {
              op: 'add',
              path: 'members',
              value: users
                .slice(i * MEMBERS_PER_PATCH, (i + 1) * MEMBERS_PER_PATCH)
                .map((value) => ({ value })),
            },
          ],
        },
        204
      ),
  })
}

/** Both phases of a comparison, the first of them going first at even rounds. */
async function inTurn<A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>) {
  if (round % 2 === 0) {
    const first = await a()
    return [first, await b()] as const
  }
  const second = await b()
  return [await a(), second] as const
}

interface Comparison {
  plain: PhaseResult
  ruled: PhaseResult
  ratio: number
}

const compare = (plain: PhaseResult, ruled: PhaseResult): Comparison => ({
  plain,
  ruled,
  ratio: ruled.rps / plain.rps,
})

interface Row {
  latencyMs: number
  creates: Comparison
  wrongLinks: number
  members: Comparison
}

/** Four tenants: creates without and with agents, member PATCHes without and with roles. */
function seedTenants(
  round: number
): Record<'plain' | 'agents' | 'members' | 'roles', SeededTenant> {
  const seed = (name: string) =>
    seedTenant({ region: 'us', name: `${name} ${String(round)}`, persistTo: PERSIST })
  const tenants = {
    plain: seed('Creates'),
    agents: seed('Creates with agents'),
    members: seed('Members'),
    roles: seed('Members of roles'),
  }
  bulkLoadUsers(tenants.members.tenantId, 0, WRITES)
  bulkLoadUsers(tenants.roles.tenantId, 0, WRITES)
  return tenants
}

async function atLatency(latencyMs: number, round: number): Promise<Row> {
  const tenants = seedTenants(round)
  server = startServer(BENCH_PRODUCT, [`BENCH_D1_LATENCY_MS:${String(latencyMs)}`])
  await waitReady(server, BENCH_PRODUCT)
  try {
    const admin = adminClient()
    const roleSettings = `/tenants/${tenants.roles.tenantId}/role-settings`
    await admin('PATCH', roleSettings, { roleMode: 'groups-as-roles' }, 200)
    await reportAgents(admin, tenants.agents.tenantId, round)
    const [plain, agents] = await inTurn(
      round,
      () => creates('creates, no agents', scimClient(tenants.plain.token), round),
      () => creates('creates, each linking an agent', scimClient(tenants.agents.token), round)
    )
    const [members, roles] = await inTurn(
      round,
      () => memberPatches('member PATCHes, no roles', scimClient(tenants.members.token)),
      () => memberPatches('member PATCHes, groups as roles', scimClient(tenants.roles.token))
    )
    const row: Row = {
      latencyMs,
      creates: compare(plain.phase, agents.phase),
      wrongLinks: await wrongLinks(admin, tenants.agents.tenantId, agents.ids),
      members: compare(members, roles),
    }
    const line = (what: string, c: Comparison) =>
      `  ${what}: ${c.plain.rps.toFixed(1)}/s against ${c.ruled.rps.toFixed(1)}/s` +
      ` (p50 ${c.plain.p50.toFixed(1)} / ${c.ruled.p50.toFixed(1)} ms), ratio ${c.ratio.toFixed(2)},` +
      ` failures ${String(c.plain.failures + c.ruled.failures)}`
    console.log(`D1 latency ${String(latencyMs)} ms`)
    console.log(
      `${line('creates, no agents / linking agents', row.creates)}, wrong links ${String(row.wrongLinks)}`
    )
    console.log(line('member PATCHes, no roles / groups as roles', row.members))
    return row
  } finally {
    await stopServer(server)
    server = undefined
  }
}

async function main(): Promise<number> {
  rmSync(BENCH_DIR, { recursive: true, force: true })
  mkdirSync(BENCH_DIR, { recursive: true })
  writeBenchConfig(BENCH_PRODUCT.config, 'scripts/bench/worker/entry.ts')
  migrate(PERSIST)
  buildWorker(BENCH_PRODUCT)
  console.log(
    `bench:directory: ${String(WRITES)} creates (agents) and users (member PATCHes of` +
      ` ${String(MEMBERS_PER_PATCH)}) per tenant, concurrency ${String(CONCURRENCY)},` +
      ` D1 latency ${LATENCIES.join(', ')} ms`
  )
  const rows: Row[] = []
  for (const [round, latency] of LATENCIES.entries()) rows.push(await atLatency(latency, round))
  console.log(
    '\n| D1 latency | creates/s: no agents / linking agents, × | member PATCHes/s: no roles / groups as roles, × |'
  )
  console.log('| ---: | ---: | ---: |')
  const cell = (c: Comparison) =>
    `${c.plain.rps.toFixed(1)} / ${c.ruled.rps.toFixed(1)}, ${c.ratio.toFixed(2)}`
  for (const r of rows)
    console.log(`| ${String(r.latencyMs)} ms | ${cell(r.creates)} | ${cell(r.members)} |`)
  writeFileSync(
    RESULTS_FILE,
    JSON.stringify({ writes: WRITES, concurrency: CONCURRENCY, rows }, null, 2)
  )
  console.log(`results: ${RESULTS_FILE}`)
  const failed = (c: Comparison) => c.plain.failures + c.ruled.failures > 0
  return rows.some((r) => r.wrongLinks > 0 || failed(r.creates) || failed(r.members)) ? 1 : 0
}

runBench(main, () => [server])
