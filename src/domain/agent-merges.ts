/**
 * @module Merging agents of one user (an admin's action) and ending merges. While a merge holds,
 * the folded agents are shown as merged into the survivor, keep their link to the user, and hold
 * no license or group membership of their own; their later reports update what they report but
 * never make them separate again. A merge ends by an undo, when the survivor is linked away from
 * the merge's user (`relinked`), or when the user is deleted (`user-deleted`, by the purge); the
 * folded agents then hold licenses again and are linked on their own identifiers.
 */
import { planMerge, survivorMoved, type MergePlan, type MergeRequest } from '../directory/merging'
import { ScimError, notFound } from '../scim/errors'
import {
  agentsMergedInto,
  endAgentMergesStatement,
  foldAgentsStatement,
  getAgentMerge,
  insertAgentMergeStatement,
  mergesInForceOfUser,
  unfoldAgentsStatement,
  type AgentMerge,
  type MergeEndReason,
} from '../storage/repos/agent-merges'
import { getAgentsByIds, linkAgentsStatements, type AgentRow } from '../storage/repos/agents'
import { getUser } from '../storage/repos/users'
import { evaluateLinks, type LinkChange, type UserOverlay } from './agent-links'
import { addForRows, Changeset, commit } from './changeset'
import type { WriteContext } from './write-context'

/** Merges agents of one user into `into`; refuses with 400/404/409 saying which agent and why. */
export async function mergeAgents(ctx: WriteContext, request: MergeRequest): Promise<AgentMerge> {
  const plan = await checkedPlan(ctx, request)
  const merge: AgentMerge = {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    userId: plan.userId,
    intoAgentId: plan.into,
    agentIds: plan.absorbed,
    createdAt: ctx.now,
    endedAt: null,
    endReason: null,
  }
  const cs = new Changeset().add(
    insertAgentMergeStatement(ctx.db, merge),
    foldAgentsStatement(ctx.db, ctx.tenantId, merge, plan.absorbed, ctx.now)
  )
  for (const id of plan.absorbed)
    cs.record({
      op: 'agent.merge',
      resourceType: 'Agent',
      resourceId: id,
      userId: plan.userId,
      changes: [
        { attr: 'mergeId', after: merge.id },
        { attr: 'mergedInto', before: null, after: plan.into },
        { attr: 'state', before: 'active', after: 'merged' },
      ],
    })
  await commit(ctx, cs, 'agent merge')
  return merge
}

/** The merge the rules allow for these agents as they are stored, of a user still there. */
async function checkedPlan(ctx: WriteContext, request: MergeRequest): Promise<MergePlan> {
  const ids = [...new Set([request.into, ...request.agentIds])]
  const found = await getAgentsByIds(ctx.db, ctx.tenantId, ids)
  const survivors = new Set(
    (await agentsMergedInto(ctx.db, ctx.tenantId, ids)).flatMap((a) => a.mergedInto ?? [])
  )
  const plan = planMerge(
    request,
    found.map((a) => ({ ...a, hasMergedAgents: survivors.has(a.id) }))
  )
  if ('status' in plan) throw new ScimError(plan.status, plan.message)
  if (!(await getUser(ctx.db, ctx.tenantId, plan.userId)))
    throw new ScimError(
      409,
      `User "${plan.userId}" was deleted; its agents are being removed and cannot be merged`
    )
  return plan
}

/** Records the end of merges, one entry per folded agent, in the user's history. */
function recordEnd(cs: Changeset, merges: readonly AgentMerge[], reason: MergeEndReason): void {
  for (const m of merges)
    for (const id of m.agentIds)
      cs.record({
        op: 'agent.unmerge',
        resourceType: 'Agent',
        resourceId: id,
        userId: m.userId,
        changes: [
          { attr: 'mergeId', before: m.id },
          { attr: 'mergedInto', before: m.intoAgentId, after: null },
          { attr: 'reason', after: reason },
        ],
      })
}

/**
 * Ends merges and makes their folded agents separate again: licensed, and linked on their own
 * identifiers (against `overlay`, the users as the pending write leaves them). `fresh` holds
 * rows the same write is storing (a report), which the unfolding must not lose.
 */
async function unfold(
  ctx: WriteContext,
  cs: Changeset,
  merges: readonly AgentMerge[],
  reason: MergeEndReason,
  opts: { overlay?: UserOverlay; fresh?: ReadonlyMap<string, AgentRow> } = {}
): Promise<LinkChange[]> {
  if (merges.length === 0) return []
  const mergeIds = new Set(merges.map((m) => m.id))
  const stored = await getAgentsByIds(
    ctx.db,
    ctx.tenantId,
    merges.flatMap((m) => m.agentIds)
  )
  const folded = stored
    .filter((a) => a.state === 'merged' && a.mergeId !== null && mergeIds.has(a.mergeId))
    .map((a) => ({
      ...(opts.fresh?.get(a.id) ?? a),
      state: 'active' as const,
      mergedInto: null,
      mergeId: null,
    }))
  cs.add(endAgentMergesStatement(ctx.db, ctx.tenantId, [...mergeIds], reason, ctx.now))
  addForRows(ctx, cs, folded, unfoldAgentsStatement)
  recordEnd(cs, merges, reason)
  const links = await evaluateLinks(ctx, cs, folded, opts.overlay)
  cs.add(...linkAgentsStatements(ctx.tenantId, links, ctx.now))
  return links
}

/** An admin's undo: the merge ends and its agents are separate, licensed agents again. */
export async function undoAgentMerge(ctx: WriteContext, mergeId: string): Promise<AgentMerge> {
  const merge = await getAgentMerge(ctx.db, ctx.tenantId, mergeId)
  if (!merge) throw notFound(`Agent merge "${mergeId}" not found`)
  if (merge.endedAt !== null)
    throw new ScimError(
      409,
      `Agent merge "${mergeId}" already ended at ${merge.endedAt} (${merge.endReason ?? 'undo'})`
    )
  const cs = new Changeset()
  await unfold(ctx, cs, [merge], 'undo')
  await commit(ctx, cs, 'agent merge')
  return { ...merge, endedAt: ctx.now, endReason: 'undo' }
}

/**
 * Ends the merges of survivors that a link change moved away from the merge's user (see
 * `survivorMoved`). Their folded agents are unfolded and linked in the same write.
 */
export async function unfoldMovedSurvivors(
  ctx: WriteContext,
  cs: Changeset,
  changes: readonly LinkChange[],
  opts: { overlay?: UserOverlay; fresh?: ReadonlyMap<string, AgentRow> } = {}
): Promise<LinkChange[]> {
  const moved = changes.filter((c) => survivorMoved(c.from, c.userId)).map((c) => c.agentId)
  if (moved.length === 0) return []
  const folded = await agentsMergedInto(ctx.db, ctx.tenantId, moved)
  const mergeIds = [...new Set(folded.flatMap((a) => a.mergeId ?? []))]
  const merges: AgentMerge[] = []
  for (const id of mergeIds) {
    const merge = await getAgentMerge(ctx.db, ctx.tenantId, id)
    if (merge && merge.endedAt === null) merges.push(merge)
  }
  return unfold(ctx, cs, merges, 'relinked', opts)
}

/**
 * A deleted user's merges end before its agents are purged; the purge then removes the folded
 * agents with the others (they come back separately, if ever).
 */
export async function endMergesOfDeletedUser(
  ctx: WriteContext,
  cs: Changeset,
  userId: string
): Promise<void> {
  const merges = await mergesInForceOfUser(ctx.db, ctx.tenantId, userId)
  if (merges.length === 0) return
  cs.add(
    endAgentMergesStatement(
      ctx.db,
      ctx.tenantId,
      merges.map((m) => m.id),
      'user-deleted',
      ctx.now
    )
  )
  recordEnd(cs, merges, 'user-deleted')
}
