/**
 * @module Agents and their links to users. Links are re-evaluated inside the tenant's Durable
 * Object whenever either side changes: an agent report re-links the reported agents, a user
 * write re-links only the agents its old or new identifiers name (indexed lookups, at most
 * MAX_AGENTS_PER_USER_WRITE), so no write ever scans a tenant. A link change that moves a merge's
 * survivor away from its user ends that merge in the same write (see agent-merges.ts).
 */
import type { UserIdentifiers } from '../directory/identifiers'
import { survivorMoved } from '../directory/merging'
import { fold } from '../lib/text'
import {
  activeAgentsMatching,
  agentsOfUsers,
  getAgentsByIds,
  linkAgentsStatements,
  upsertAgentStatements,
  type AgentRow,
  type IdentifierSets,
} from '../storage/repos/agents'
import { answeredReads, evaluateLinks, type LinkChange } from './agent-links'
import { unfoldMovedSurvivors } from './agent-merges'
import { Changeset, commit } from './changeset'
import { returningFromRemoval } from './dnt'
import type { WriteContext } from './write-context'

/** Agents re-evaluated by one user write; identifiers shared by more agents are unusual. */
const MAX_AGENTS_PER_USER_WRITE = 500

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

export interface UserIdentityChange {
  userId: string
  before?: UserIdentifiers | undefined
  /** Absent when the user is being deleted. */
  after?: UserIdentifiers | undefined
}

/** The identifiers of these users, as the sets agent lookups take. */
export function userIdentifierSets(list: readonly UserIdentifiers[]): IdentifierSets {
  return {
    upns: [...new Set(list.flatMap((i) => i.upns))],
    emails: [...new Set(list.flatMap((i) => i.workEmails))],
    employeeIds: [...new Set(list.flatMap((i) => (i.employeeNumber ? [i.employeeNumber] : [])))],
  }
}

/**
 * Re-links the agents a user write can affect; adds updates and history to the changeset. SCIM
 * user creates the object commits in groups (`ctx.staged`) are answered by its link snapshot
 * while it holds (./link-snapshot.ts); every other write reads D1 (a unit of work that runs
 * alone, such as a sync step, may have changed what the snapshot read). Either way what the
 * write touched is recorded in the snapshot.
 */
export async function relinkForUsers(
  ctx: WriteContext,
  cs: Changeset,
  changes: readonly UserIdentityChange[]
): Promise<void> {
  if (changes.length === 0 || !ctx.hasAgents) return
  const sets = userIdentifierSets(
    changes.flatMap((c) => [c.before, c.after]).filter((v) => v !== undefined)
  )
  const snapshot = ctx.known.links
  const creates = ctx.staged !== undefined && changes.every((c) => c.before === undefined)
  const answer = creates ? snapshot?.answer(sets) : undefined
  const byId = new Map<string, AgentRow>()
  const matching = answer
    ? answer.agents.slice(0, MAX_AGENTS_PER_USER_WRITE)
    : await activeAgentsMatching(ctx.db, ctx.tenantId, sets, MAX_AGENTS_PER_USER_WRITE)
  for (const a of matching) byId.set(a.id, a)
  // Only existing users can have agents linked already; a user being created has none.
  const existing = changes.filter((c) => c.before !== undefined).map((c) => c.userId)
  for (const a of await agentsOfUsers(ctx.db, ctx.tenantId, existing)) byId.set(a.id, a)
  const overlay = new Map(changes.map((c) => [c.userId, c.after ?? null]))
  const links =
    byId.size === 0
      ? []
      : await evaluateLinks(ctx, cs, [...byId.values()], overlay, answer && answeredReads(answer))
  cs.add(...linkAgentsStatements(ctx.tenantId, links, ctx.now))
  await unfoldMovedSurvivors(ctx, cs, links, { overlay })
  snapshot?.touch({
    sets,
    userIds: [
      ...overlay.keys(),
      ...links.flatMap((l) => [l.from, l.userId]).filter((id) => id !== null),
    ],
    agentIds: links.map((l) => l.agentId),
  })
  // An ended merge makes agents active that the snapshot did not read.
  if (links.some((l) => survivorMoved(l.from, l.userId))) snapshot?.spoil()
}

export interface UpsertAgentsResult {
  received: number
  created: number
  updated: number
  linked: number
  unlinked: number
  linkChanges: number
  /** Removed agents back on the user-agent list (their Do Not Track entry was removed). */
  restored: number
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
    mergedInto: existing?.mergedInto ?? null,
    mergeId: existing?.mergeId ?? null,
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  }
}

const withLink = (row: AgentRow, link: LinkChange | undefined): AgentRow =>
  link ? { ...row, userId: link.userId, linkRule: link.rule } : row

/**
 * Bulk upsert of agent reports (one atomic batch) with their links evaluated. A merged agent's
 * report updates what it reports and stays merged; a removed agent comes back only once its
 * Do Not Track entry is gone.
 */
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
  const cs = new Changeset()
  const { rows, restored } = await returningFromRemoval(
    ctx,
    cs,
    unique.map((r) => mergeReport(ctx, r, existing.get(r.id)))
  )
  const links = await evaluateLinks(ctx, cs, rows)
  const byAgent = new Map(links.map((l) => [l.agentId, l]))
  const final = rows.map((row) => withLink(row, byAgent.get(row.id)))
  cs.add(...upsertAgentStatements(final))
  const unfolded = await unfoldMovedSurvivors(ctx, cs, links, {
    fresh: new Map(final.map((a) => [a.id, a])),
  })
  await commit(ctx, cs, 'agent')
  const linked = final.filter((a) => a.userId !== null).length
  return {
    received: reports.length,
    created: rows.length - existing.size,
    updated: existing.size,
    linked,
    unlinked: final.length - linked,
    linkChanges: links.length + unfolded.length,
    restored,
  }
}
