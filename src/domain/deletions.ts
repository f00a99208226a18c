/**
 * @module Deleting a user (SCIM DELETE, the pull sync's Delete group): at once, the user leaves
 * SCIM (404), its memberships and indexed values go, it is put on the Do Not Track list and a
 * deletion record is made `pending`. The purge of what remains (its agents: detached, put on
 * the DNT list, taken off the user-agent list so their licenses are freed) runs on the Durable
 * Object's alarm in bounded steps. The cron later verifies each deletion: `verified`, or
 * retried and finally `failed` with the reason.
 */
import { userIdentifiers } from '../directory/identifiers'
import type { ScimDocument } from '../scim/schemas/attribute'
import { agentsOfUsers, removeAgentsStatement } from '../storage/repos/agents'
import {
  deletionLeftovers,
  dueDeletions,
  insertDeletionStatement,
  unpurgedDeletions,
  updateDeletionStatement,
  type DeletionRow,
  type Leftovers,
} from '../storage/repos/directory'
import { groupsOfUsers } from '../storage/repos/groups'
import { deleteUserStatements } from '../storage/repos/users'
import { endMergesOfDeletedUser } from './agent-merges'
import { Changeset, commit } from './changeset'
import { ensureAgentDnt, ensureUserDnt } from './dnt'
import type { StoredResource } from './resource'
import type { WriteContext } from './write-context'

export type DeletionSource = DeletionRow['source']

function identifiersOf(doc: ScimDocument): string {
  const ids = userIdentifiers(doc)
  return JSON.stringify({
    userName: ids.userName,
    externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
    displayName: typeof doc.displayName === 'string' ? doc.displayName : null,
    upns: ids.upns,
    workEmails: ids.workEmails,
    employeeNumber: ids.employeeNumber,
  })
}

/**
 * Adds the immediate part of a user's deletion to the changeset. The caller commits it and
 * then wakes the purge (`ctx.wake.purge`).
 */
export async function requestDeletion(
  ctx: WriteContext,
  cs: Changeset,
  user: StoredResource,
  source: DeletionSource
): Promise<void> {
  const groups = (await groupsOfUsers(ctx.db, ctx.tenantId, [user.id])).get(user.id) ?? []
  await ensureUserDnt(ctx, cs, user, 'deletion')
  const record: DeletionRow = {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    userId: user.id,
    identifiers: identifiersOf(user.doc),
    source,
    instanceId: ctx.actor.instanceId,
    requestedAt: ctx.now,
    status: 'pending',
    purgedAt: null,
    attempts: 0,
    lastCheckedAt: null,
    verifiedAt: null,
    reason: null,
  }
  cs.add(
    insertDeletionStatement(ctx.db, record),
    ...deleteUserStatements(ctx.db, ctx.tenantId, user.id, ctx.now)
  )
  for (const g of groups) {
    cs.record({
      op: 'membership.remove',
      resourceType: 'Group',
      resourceId: g.value,
      userId: user.id,
      changes: [{ attr: 'members', before: user.id }],
    })
  }
  cs.record({
    op: 'user.delete',
    resourceType: 'User',
    resourceId: user.id,
    userId: user.id,
    changes: [],
  })
  cs.record({
    op: 'deletion.request',
    resourceType: 'Deletion',
    resourceId: record.id,
    userId: user.id,
    changes: [{ attr: 'status', after: 'pending' }],
  })
  ctx.wake.purge = true
}

/** Agents purged per alarm step: bounded work per invocation. */
export const PURGE_AGENTS_PER_STEP = 200

/**
 * One bounded purge step: detaches, DNT-lists and removes the agents of deleted users (merged
 * ones included), and marks each deletion purged once nothing is left. Returns true when more
 * work remains.
 */
export async function purgeStep(ctx: WriteContext): Promise<boolean> {
  let budget = PURGE_AGENTS_PER_STEP
  for (const deletion of await unpurgedDeletions(ctx.db, ctx.tenantId, 50)) {
    const linked = await agentsOfUsers(ctx.db, ctx.tenantId, [deletion.userId])
    const batch = linked.slice(0, budget)
    const cs = new Changeset()
    // Merged agents go too: their merges end first, so none outlives the user.
    await endMergesOfDeletedUser(ctx, cs, deletion.userId)
    for (const agent of batch) {
      await ensureAgentDnt(ctx, cs, agent, 'deletion')
      cs.record({
        op: 'agent.remove',
        resourceType: 'Agent',
        resourceId: agent.id,
        userId: deletion.userId,
        changes: [
          { attr: 'userId', before: deletion.userId, after: null },
          { attr: 'state', before: agent.state, after: 'removed' },
        ],
      })
    }
    if (batch.length)
      cs.add(
        removeAgentsStatement(
          ctx.db,
          ctx.tenantId,
          batch.map((a) => a.id),
          ctx.now
        )
      )
    const done = batch.length === linked.length
    if (done)
      cs.add(updateDeletionStatement(ctx.db, ctx.tenantId, deletion.id, { purgedAt: ctx.now }))
    await commit(ctx, cs, 'deletion')
    budget -= batch.length
    if (!done || budget <= 0) return true
  }
  return (await unpurgedDeletions(ctx.db, ctx.tenantId, 1)).length > 0
}

export interface VerifySettings {
  /** Deletions are verified once they are this old (default 12 hours). */
  verifyAfterMs: number
  /** Verification attempts before a deletion is marked failed. */
  maxAttempts: number
}

export interface VerifyResult {
  checked: number
  verified: number
  retried: number
  failed: number
}

/** Describes what remains, or undefined when the deletion is complete. */
export function leftoverReason(l: Leftovers): string | undefined {
  const parts = [
    l.userRow ? 'the user row still exists' : '',
    l.memberships ? `${String(l.memberships)} group membership(s) remain` : '',
    l.values ? `${String(l.values)} indexed value(s) remain` : '',
    l.agentLinks ? `${String(l.agentLinks)} agent(s) are still linked` : '',
    l.dntEntry ? '' : 'no Do Not Track entry exists',
  ].filter((p) => p !== '')
  return parts.length ? parts.join('; ') : undefined
}

/** Verifies due deletions (at most `limit`); wakes the purge for the ones to retry. */
export async function verifyDeletions(
  ctx: WriteContext,
  nowMs: number,
  s: VerifySettings,
  limit: number
): Promise<VerifyResult> {
  const due = await dueDeletions(
    ctx.db,
    ctx.tenantId,
    new Date(nowMs - s.verifyAfterMs).toISOString(),
    limit
  )
  const result: VerifyResult = { checked: due.length, verified: 0, retried: 0, failed: 0 }
  for (const d of due) {
    const reason = leftoverReason(await deletionLeftovers(ctx.db, ctx.tenantId, d.userId))
    const attempts = d.attempts + 1
    const outcome =
      reason === undefined ? 'verified' : attempts >= s.maxAttempts ? 'failed' : 'retried'
    result[outcome]++
    const cs = new Changeset().add(
      updateDeletionStatement(
        ctx.db,
        ctx.tenantId,
        d.id,
        verificationUpdate(ctx, outcome, attempts, reason)
      )
    )
    if (outcome === 'retried') await repairMissingDnt(ctx, cs, d)
    cs.record({
      op: `deletion.${outcome === 'retried' ? 'retry' : outcome}`,
      resourceType: 'Deletion',
      resourceId: d.id,
      userId: d.userId,
      changes: [
        { attr: 'status', before: 'pending', after: outcome === 'retried' ? 'pending' : outcome },
        ...(reason ? [{ attr: 'reason', after: reason }] : []),
      ],
    })
    await commit(ctx, cs, 'deletion')
    if (outcome === 'retried') ctx.wake.purge = true
  }
  return result
}

function verificationUpdate(
  ctx: WriteContext,
  outcome: 'verified' | 'failed' | 'retried',
  attempts: number,
  reason: string | undefined
) {
  const base = { attempts, lastCheckedAt: ctx.now, reason: reason ?? null }
  if (outcome === 'verified') return { ...base, status: 'verified' as const, verifiedAt: ctx.now }
  if (outcome === 'failed') return { ...base, status: 'failed' as const }
  return { ...base, purgedAt: null }
}

/** A retry re-runs the purge; a missing DNT entry is put back from the recorded identifiers. */
async function repairMissingDnt(ctx: WriteContext, cs: Changeset, d: DeletionRow): Promise<void> {
  const ids = JSON.parse(d.identifiers) as { userName?: unknown }
  const userName = typeof ids.userName === 'string' ? ids.userName : d.userId
  await ensureUserDnt(ctx, cs, { id: d.userId, doc: { userName } }, 'deletion')
}
