/**
 * `npm run bench:agents`: SCIM user creates in a tenant whose agents report before its users
 * are provisioned (an ActivTrak customer connecting Entra or Okta), against creates in a tenant
 * without agents, in the same run, at each injected D1 latency (the bench Worker entry,
 * scripts/bench/worker/, waits BENCH_D1_LATENCY_MS before every D1 round trip). Each create
 * names the UPN of one reported agent, so each links one; every link is checked afterwards.
 *
 * Settings: BENCH_AGENTS (agents and creates per tenant, default 2,000), BENCH_CONCURRENCY
 * (default 16), BENCH_AGENT_LATENCIES (default 0,20,50), BENCH_DEADLINE_MIN.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { migrate, seedTenant } from './local-db.ts'
import { BENCH_DIR, CONCURRENCY, PERSIST, RESULTS_FILE } from './bench/config.ts'
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

const AGENTS = Number(process.env.BENCH_AGENTS ?? '2000')
const LATENCIES = (process.env.BENCH_AGENT_LATENCIES ?? '0,20,50').split(',').map(Number)
const BATCH = 500

const TARGET = BENCH_PRODUCT

let server: ServerProcess | undefined

const linkOfAgent = z.object({ userId: z.string().nullable(), linkRule: z.string().nullable() })

const upn = (round: number, i: number) => `r${String(round)}.person${String(i)}@contoso.com`

/** Reports AGENTS agents, the i-th by the UPN of the i-th user to come, upper-cased. */
async function reportAgents(admin: Call, tenantId: string, round: number): Promise<void> {
  const lastSeen = new Date().toISOString()
  for (let start = 0; start < AGENTS; start += BATCH) {
    const agents = Array.from({ length: Math.min(BATCH, AGENTS - start) }, (_, j) => ({
      id: `dev-${String(start + j)}`,
      logonName: `person${String(start + j)}`,
      domain: 'CONTOSO',
      upn: upn(round, start + j).toUpperCase(),
      lastSeen,
    }))
    await admin('POST', `/tenants/${tenantId}/agents`, { agents }, 200)
  }
}

/** AGENTS creates at CONCURRENCY; returns the phase and the ids created, by index. */
async function creates(
  name: string,
  scim: Call,
  round: number
): Promise<{ phase: PhaseResult; ids: string[] }> {
  const ids: string[] = []
  const phase = await runPhase({
    name,
    count: AGENTS,
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

interface Row {
  latencyMs: number
  plain: PhaseResult
  agents: PhaseResult
  ratio: number
  wrongLinks: number
}

async function atLatency(latencyMs: number, round: number): Promise<Row> {
  const plainTenant = seedTenant({
    region: 'us',
    name: `Plain ${String(round)}`,
    persistTo: PERSIST,
  })
  const agentTenant = seedTenant({
    region: 'us',
    name: `Agents ${String(round)}`,
    persistTo: PERSIST,
  })
  server = startServer(TARGET, [`BENCH_D1_LATENCY_MS:${String(latencyMs)}`])
  await waitReady(server, TARGET)
  try {
    const admin = adminClient()
    await reportAgents(admin, agentTenant.tenantId, round)
    // Taking turns: the plain tenant first at one latency, the agents' tenant first at the next.
    const runPlain = () => creates('creates, no agents', scimClient(plainTenant.token), round)
    const runAgents = () =>
      creates('creates, each linking an agent', scimClient(agentTenant.token), round)
    let plain: Awaited<ReturnType<typeof runPlain>>
    let agents: Awaited<ReturnType<typeof runAgents>>
    if (round % 2 === 0) {
      plain = await runPlain()
      agents = await runAgents()
    } else {
      agents = await runAgents()
      plain = await runPlain()
    }
    const wrong = await wrongLinks(admin, agentTenant.tenantId, agents.ids)
    const row = {
      latencyMs,
      plain: plain.phase,
      agents: agents.phase,
      ratio: agents.phase.rps / plain.phase.rps,
      wrongLinks: wrong,
    }
    console.log(
      `D1 latency ${String(latencyMs)} ms: no agents ${plain.phase.rps.toFixed(1)}/s` +
        ` (p50 ${plain.phase.p50.toFixed(1)} ms), linking agents ${agents.phase.rps.toFixed(1)}/s` +
        ` (p50 ${agents.phase.p50.toFixed(1)} ms), ratio ${row.ratio.toFixed(2)};` +
        ` failures ${String(plain.phase.failures + agents.phase.failures)}, wrong links ${String(wrong)}`
    )
    return row
  } finally {
    await stopServer(server)
    server = undefined
  }
}

async function main(): Promise<number> {
  rmSync(BENCH_DIR, { recursive: true, force: true })
  mkdirSync(BENCH_DIR, { recursive: true })
  writeBenchConfig(TARGET.config, 'scripts/bench/worker/entry.ts')
  migrate(PERSIST)
  buildWorker(TARGET)
  console.log(
    `bench:agents: ${String(AGENTS)} agents and creates per tenant, concurrency ${String(CONCURRENCY)},` +
      ` D1 latency ${LATENCIES.join(', ')} ms`
  )
  const rows: Row[] = []
  for (const [round, latency] of LATENCIES.entries()) rows.push(await atLatency(latency, round))
  console.log('\n| D1 latency | creates/s, no agents | creates/s, linking agents | × |')
  console.log('| ---: | ---: | ---: | ---: |')
  for (const r of rows)
    console.log(
      `| ${String(r.latencyMs)} ms | ${r.plain.rps.toFixed(1)} | ${r.agents.rps.toFixed(1)} | ${r.ratio.toFixed(2)} |`
    )
  writeFileSync(
    RESULTS_FILE,
    JSON.stringify({ agents: AGENTS, concurrency: CONCURRENCY, rows }, null, 2)
  )
  console.log(`results: ${RESULTS_FILE}`)
  const bad = rows.some((r) => r.wrongLinks > 0 || r.plain.failures + r.agents.failures > 0)
  return bad ? 1 : 0
}

runBench(main, () => [server])
