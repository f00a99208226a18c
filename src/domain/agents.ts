/**
 * @module Agents and their links to users. Links are re-evaluated inside the tenant's Durable
 * Object whenever either side changes: an agent report re-links the reported agents, a user
 * write re-links only the agents its old or new identifiers name (indexed lookups, at most
 * MAX_AGENTS_PER_USER_WRITE), so no write ever scans a tenant.
 */
import { userIdentifiers, type UserIdentifiers } from '../directory/identifiers'
import {
  chooseLink,
  linkChanged,
  type AgentIdentifiers,
  type LinkChoice,
} from '../directory/linking'
import { fold } from '../lib/text'
import {
  activeAgentsMatching,
  agentsOfUsers,
  getAgentsByIds,
  linkAgentsStatements,
  upsertAgentStatements,
  type AgentLink,
  type AgentRow,
  type IdentifierSets,
} from '../storage/repos/agents'
import { usersMatchingIdentifiers } from '../storage/repos/users'
import { Changeset, commit } from './changeset'
import type { WriteContext } from './write-context'

/** Agents re-evaluated by one user write; identifiers shared by more agents are unusual. */
export const MAX_AGENTS_PER_USER_WRITE = 500

export interface AgentReport {
  id: string
  logonName: string
  domain: string
  email?: string | null | undefined
  upn?: string | null | undefined
  employeeId?: string | null | undefined
  lastSeen: string
}

const folded = (v: string | null | undefined): string | null =>
  v && v.trim() !== '' ? fold(v.trim()) : null

const agentIds = (a: AgentRow): AgentIdentifiers => ({
  upn: a.upnCi,
  email: a.emailCi,
  employeeId: a.employeeIdCi,
})

function identifierSets(list: readonly AgentIdentifiers[]): IdentifierSets {
  const pick = (f: (a: AgentIdentifiers) => string | null) => [
    ...new Set(list.map(f).filter((v) => v !== null)),
  ]
  return {
    upns: pick((a) => a.upn),
    emails: pick((a) => a.email),
    employeeIds: pick((a) => a.employeeId),
  }
}

/**
 * The link each active agent should have, against the users as they will be once the pending
 * write lands: `overlay` maps user ids to their new identifiers (null: the user is gone).
 */
async function chooseLinks(
  ctx: WriteContext,
  agents: readonly AgentRow[],
  overlay: ReadonlyMap<string, UserIdentifiers | null>
): Promise<Map<string, LinkChoice | null>> {
  const active = agents.filter((a) => a.state === 'active')
  const found = await usersMatchingIdentifiers(
    ctx.db,
    ctx.tenantId,
    identifierSets(active.map(agentIds))
  )
  const candidates = found
    .filter((u) => !overlay.has(u.id))
    .map((u) => ({ userId: u.id, ids: userIdentifiers(u.doc) }))
  for (const [userId, ids] of overlay) if (ids) candidates.push({ userId, ids })
  return new Map(active.map((a) => [a.id, chooseLink(agentIds(a), candidates)]))
}

/** Records a link change: an unlink in the old user's history, a link in the new one's. */
function recordLink(cs: Changeset, agent: AgentRow, next: LinkChoice | null): void {
  const changes = [
    { attr: 'userId', before: agent.userId, after: next?.userId ?? null },
    { attr: 'linkRule', before: agent.linkRule, after: next?.rule ?? null },
  ]
  if (agent.userId !== null) {
    cs.record({
      op: 'agent.unlink',
      resourceType: 'Agent',
      resourceId: agent.id,
      userId: agent.userId,
      changes,
    })
  }
  if (next)
    cs.record({
      op: 'agent.link',
      resourceType: 'Agent',
      resourceId: agent.id,
      userId: next.userId,
      changes,
    })
}

export interface UserIdentityChange {
  userId: string
  before?: UserIdentifiers | undefined
  /** Absent when the user is being deleted. */
  after?: UserIdentifiers | undefined
}

/** Re-links the agents a user write can affect; adds updates and history to the changeset. */
export async function relinkForUsers(
  ctx: WriteContext,
  cs: Changeset,
  changes: readonly UserIdentityChange[]
): Promise<void> {
  if (changes.length === 0 || !ctx.hasAgents) return
  const named = changes.flatMap((c) => [c.before, c.after]).filter((v) => v !== undefined)
  const sets: IdentifierSets = {
    upns: [...new Set(named.flatMap((i) => i.upns))],
    emails: [...new Set(named.flatMap((i) => i.workEmails))],
    employeeIds: [...new Set(named.flatMap((i) => (i.employeeNumber ? [i.employeeNumber] : [])))],
  }
  const byId = new Map<string, AgentRow>()
  for (const a of await activeAgentsMatching(ctx.db, ctx.tenantId, sets, MAX_AGENTS_PER_USER_WRITE))
    byId.set(a.id, a)
  // Only existing users can have agents linked already; a user being created has none.
  const existing = changes.filter((c) => c.before !== undefined).map((c) => c.userId)
  for (const a of await agentsOfUsers(ctx.db, ctx.tenantId, existing)) byId.set(a.id, a)
  if (byId.size === 0) return
  const overlay = new Map(changes.map((c) => [c.userId, c.after ?? null]))
  const choices = await chooseLinks(ctx, [...byId.values()], overlay)
  const links: AgentLink[] = []
  for (const agent of byId.values()) {
    const next = choices.get(agent.id)
    if (next === undefined || !linkChanged({ userId: agent.userId, rule: agent.linkRule }, next))
      continue
    links.push({ agentId: agent.id, userId: next?.userId ?? null, rule: next?.rule ?? null })
    recordLink(cs, agent, next)
  }
  cs.add(...linkAgentsStatements(ctx.tenantId, links, ctx.now))
}

export interface UpsertAgentsResult {
  received: number
  created: number
  updated: number
  linked: number
  unlinked: number
  linkChanges: number
}

function mergeReport(
  ctx: WriteContext,
  report: AgentReport,
  existing: AgentRow | undefined
): AgentRow {
  const clean = (v: string | null | undefined) => (v && v.trim() !== '' ? v.trim() : null)
  return {
    tenantId: ctx.tenantId,
    id: report.id,
    logonName: report.logonName,
    domain: report.domain,
    email: clean(report.email),
    upn: clean(report.upn),
    employeeId: clean(report.employeeId),
    emailCi: folded(report.email),
    upnCi: folded(report.upn),
    employeeIdCi: folded(report.employeeId),
    lastSeen: report.lastSeen,
    userId: existing?.userId ?? null,
    linkRule: existing?.linkRule ?? null,
    state: existing?.state ?? 'active',
    removedAt: existing?.removedAt ?? null,
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  }
}

/** Bulk upsert of agent reports (one atomic batch) with their links evaluated. */
export async function upsertAgents(
  ctx: WriteContext,
  reports: readonly AgentReport[]
): Promise<UpsertAgentsResult> {
  const unique = [...new Map(reports.map((r) => [r.id, r])).values()]
  const existing = new Map(
    (
      await getAgentsByIds(
        ctx.db,
        ctx.tenantId,
        unique.map((r) => r.id)
      )
    ).map((a) => [a.id, a])
  )
  const rows = unique.map((r) => mergeReport(ctx, r, existing.get(r.id)))
  const choices = await chooseLinks(ctx, rows, new Map())
  const cs = new Changeset()
  let linkChanges = 0
  const final = rows.map((row) => {
    const next = choices.get(row.id)
    if (next === undefined || !linkChanged({ userId: row.userId, rule: row.linkRule }, next))
      return row
    linkChanges++
    recordLink(cs, row, next)
    return { ...row, userId: next?.userId ?? null, linkRule: next?.rule ?? null }
  })
  cs.add(...upsertAgentStatements(final))
  await commit(ctx, cs, 'agent')
  const linked = final.filter((a) => a.userId !== null).length
  return {
    received: reports.length,
    created: rows.length - existing.size,
    updated: existing.size,
    linked,
    unlinked: final.length - linked,
    linkChanges,
  }
}
