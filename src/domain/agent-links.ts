/**
 * @module Evaluating agent links inside a write: which user each licensed agent should link to,
 * against the users as they will be once the pending write lands, with each change recorded in
 * the history. Shared by agent reports, user writes and the end of agent merges. An agent linked
 * to a deleted user keeps that link until the deletion's purge removes it (./deletions.ts): the
 * purge finds a deleted user's agents by that link, so nothing may move them away before it.
 */
import { userIdentifiers, type UserIdentifiers } from '../directory/identifiers'
import {
  chooseLink,
  linkChanged,
  type AgentIdentifiers,
  type LinkChoice,
} from '../directory/linking'
import {
  linkedUsersGone,
  type AgentLink,
  type AgentRow,
  type IdentifierSets,
} from '../storage/repos/agents'
import { usersMatchingIdentifiers } from '../storage/repos/users'
import type { StoredResource } from '../model/resource'
import type { Changeset } from './changeset'
import type { LinkAnswer } from './link-snapshot'
import type { WriteContext } from './write-context'

/**
 * What link evaluation reads: D1 (`liveReads`), or what a snapshot read for a group of user
 * creates answers (`answeredReads`, ./link-snapshot.ts).
 */
export interface LinkReads {
  /** Of these users (agents are linked to them), those whose row is gone. */
  gone(userIds: readonly string[]): Promise<Set<string>>
  /** Users any of whose linking identifiers is in the sets (a few more do no harm). */
  matching(sets: IdentifierSets): Promise<readonly StoredResource[]>
}

const liveReads = (ctx: WriteContext): LinkReads => ({
  gone: (userIds) => linkedUsersGone(ctx.db, ctx.tenantId, userIds),
  matching: (sets) => usersMatchingIdentifiers(ctx.db, ctx.tenantId, sets),
})

export const answeredReads = (answer: LinkAnswer): LinkReads => ({
  gone: (userIds) => Promise.resolve(new Set(userIds.filter((id) => answer.gone.has(id)))),
  matching: () => Promise.resolve(answer.users),
})

/** User ids mapped to their identifiers after the pending write (null: the user is gone). */
export type UserOverlay = ReadonlyMap<string, UserIdentifiers | null>

/** A link that an evaluation changed, with the user the agent had before. */
export interface LinkChange extends AgentLink {
  from: string | null
}

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
 * The active agents whose link may change: not those of a user deleted (its row is gone) or
 * being deleted by the pending write, whose deletion has yet to purge them.
 */
async function movableAgents(
  agents: readonly AgentRow[],
  overlay: UserOverlay,
  reads: LinkReads
): Promise<AgentRow[]> {
  const active = agents.filter((a) => a.state === 'active')
  const linked = [...new Set(active.flatMap((a) => a.userId ?? []))]
  // Users the pending write touches exist unless it deletes them (null in the overlay).
  const pinned = await reads.gone(linked.filter((id) => !overlay.has(id)))
  for (const [userId, ids] of overlay) if (ids === null) pinned.add(userId)
  return active.filter((a) => a.userId === null || !pinned.has(a.userId))
}

/**
 * The link each movable agent should have (see movableAgents); merged and removed agents, and
 * those of deleted users, keep theirs.
 */
async function chooseLinks(
  agents: readonly AgentRow[],
  overlay: UserOverlay,
  reads: LinkReads
): Promise<Map<string, LinkChoice | null>> {
  const active = await movableAgents(agents, overlay, reads)
  if (active.length === 0) return new Map()
  const found = await reads.matching(identifierSets(active.map(agentIds)))
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

/**
 * Evaluates the links of the active agents among `agents` and records each change in the
 * changeset's history; the caller writes the returned changes (as rows or link statements).
 */
export async function evaluateLinks(
  ctx: WriteContext,
  cs: Changeset,
  agents: readonly AgentRow[],
  overlay: UserOverlay = new Map(),
  reads: LinkReads = liveReads(ctx)
): Promise<LinkChange[]> {
  const choices = await chooseLinks(agents, overlay, reads)
  const changes: LinkChange[] = []
  for (const agent of agents) {
    const next = choices.get(agent.id)
    if (next === undefined || !linkChanged({ userId: agent.userId, rule: agent.linkRule }, next))
      continue
    recordLink(cs, agent, next)
    changes.push({
      agentId: agent.id,
      userId: next?.userId ?? null,
      rule: next?.rule ?? null,
      from: agent.userId,
    })
  }
  return changes
}
