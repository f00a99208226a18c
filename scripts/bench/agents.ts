/**
 * Agent reports through the admin API, in sequential batches (they serialize in the tenant's
 * Durable Object anyway). Most agents match a user by UPN, some by work email only, some match
 * nothing. Each batch's server-side time (`ms` in the response) and client latency are kept.
 */
import { SIZES, pastDeadline, userName } from './config.ts'
import type { Call } from './http.ts'
import { failureLog, summarize, type PhaseResult, type Summary } from './measure.ts'
import type { Ids } from './provision.ts'
import { agentBatch, type AgentBatch } from './responses.ts'

/** Out of every 20 agents: 16 match by UPN (4 of them upper-cased), 3 by work email, 1 nothing. */
function agentKind(i: number): 'upn' | 'email' | 'none' {
  const r = i % 20
  return r < 16 ? 'upn' : r < 19 ? 'email' : 'none'
}

/** The i-th agent's report; it names user i mod USERS. */
function agentReport(i: number, lastSeen: string) {
  const u = i % SIZES.users
  const kind = agentKind(i)
  // Email-only agents report a UPN that names no user, so only their work email can link them.
  const upns = {
    upn: userName(u),
    email: `user${u}@contoso.local`,
    none: `nobody${i}@fabrikam.com`,
  }
  const upn = upns[kind]
  return {
    id: `dev-${i}`,
    logonName: `user${u}`,
    domain: 'CONTOSO',
    upn: kind === 'upn' && i % 20 >= 12 ? upn.toUpperCase() : upn,
    email: kind === 'email' ? userName(u) : null,
    employeeId: null,
    lastSeen,
  }
}

/** Whether agent i should end up linked: it matches by UPN or email a user that exists. */
const shouldLink = (i: number, ids: Ids): boolean =>
  agentKind(i) !== 'none' && ids[i % SIZES.users] !== undefined

function checkBatch(
  res: AgentBatch,
  batch: unknown[],
  round: number,
  expectedLinks: number
): string[] {
  const problems: string[] = []
  const expect = (field: keyof AgentBatch, want: number): void => {
    if (res[field] !== want) problems.push(`${field} ${res[field]}, expected ${want}`)
  }
  expect('received', batch.length)
  expect('created', round === 1 ? batch.length : 0)
  expect('updated', round === 1 ? 0 : batch.length)
  expect('linked', expectedLinks)
  expect('linkChanges', round === 1 ? expectedLinks : 0)
  return problems
}

async function sendBatch(
  admin: Call,
  tenantId: string,
  round: number,
  start: number,
  ids: Ids,
  lastSeen: string
): Promise<{ res: AgentBatch; clientMs: number; count: number; expectedLinks: number }> {
  const count = Math.min(SIZES.agentBatch, SIZES.agents - start)
  const indexes = Array.from({ length: count }, (_, j) => start + j)
  const agents = indexes.map((i) => agentReport(i, lastSeen))
  const t0 = performance.now()
  const res = await admin('POST', `/tenants/${tenantId}/agents`, { agents }, 200, agentBatch)
  const clientMs = performance.now() - t0
  const expectedLinks = indexes.filter((i) => shouldLink(i, ids)).length
  const problems = checkBatch(res, agents, round, expectedLinks)
  if (problems.length > 0) {
    const last = start + count - 1
    const request = `POST /admin/v1/tenants/${tenantId}/agents (agents ${start}..${last}, round ${round})`
    throw new Error(`${request} -> ${problems.join('; ')}; response ${JSON.stringify(res)}`)
  }
  return { res, clientMs, count, expectedLinks }
}

/**
 * Reports all agents once, batch after batch, bounded by the agent count and the deadline.
 * Round 1 creates and links them; round 2 re-reports them (no link change expected).
 */
/** An agent round: the batches as a phase, the agents sent and linked, server and client times. */
export interface AgentRound extends PhaseResult {
  agents: number
  agentsPerS: number
  linked: number
  expectedLinked: number
  linkChanges: number
  server: Summary
  client: Summary
}

export async function agentRound(
  admin: Call,
  tenantId: string,
  round: number,
  ids: Ids
): Promise<AgentRound> {
  const name = `agents round ${round}${round === 1 ? '' : ', re-report'} (${SIZES.agentBatch}/batch)`
  const lastSeen = round === 1 ? '2026-11-30T10:00:00Z' : '2026-12-01T10:00:00Z'
  const errors = failureLog(name)
  const serverMs: number[] = []
  const clientMs: number[] = []
  let failures = 0
  let agents = 0
  let linked = 0
  let linkChanges = 0
  let expectedLinked = 0
  const batches = Math.ceil(SIZES.agents / SIZES.agentBatch)
  const t0 = performance.now()
  for (let b = 0; b < batches && !pastDeadline(); b++) {
    const s = performance.now()
    try {
      const r = await sendBatch(admin, tenantId, round, b * SIZES.agentBatch, ids, lastSeen)
      serverMs.push(r.res.ms)
      clientMs.push(r.clientMs)
      agents += r.count
      linked += r.res.linked
      linkChanges += r.res.linkChanges
      expectedLinked += r.expectedLinks
    } catch (e) {
      failures++
      clientMs.push(performance.now() - s)
      errors.add(b, e)
    }
  }
  const wallS = (performance.now() - t0) / 1000
  const client = summarize(clientMs)
  return {
    name,
    planned: batches,
    count: clientMs.length,
    failures,
    rps: wallS > 0 ? clientMs.length / wallS : 0,
    ...client,
    wallS,
    truncated: clientMs.length < batches,
    agents,
    agentsPerS: wallS > 0 ? agents / wallS : 0,
    linked,
    expectedLinked,
    linkChanges,
    server: summarize(serverMs),
    client,
    errors: errors.messages,
  }
}
