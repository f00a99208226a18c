/**
 * @module Deleting a user (SCIM DELETE, the pull sync's Delete group): at once, the user leaves
 * SCIM (404), its memberships and indexed values go, it is put on the Do Not Track list and a
 * deletion record is made `pending`. The purge of what remains (its agents: detached, put on
 * the DNT list, taken off the user-agent list so their licenses are freed) runs on the Durable
 * Object's alarm in bounded steps, and each deletion is verified as soon as its purge is done
 * (./deletion-verification.ts), so it normally reads `verified` within minutes.
 */
import { userIdentifiers } from '../directory/identifiers'
import type { ScimDocument } from '../scim/schemas/attribute'
import { agentsOfUsers, removeAgentsStatement } from '../storage/repos/agents'
import {
  insertDeletionStatement,
  unpurgedDeletions,
  updateDeletionStatement,
  type DeletionRow,
} from '../storage/repos/deletions'
import { groupsOfUsers } from '../storage/repos/groups'
import { deleteUserStatements } from '../storage/repos/users'
import { endMergesOfDeletedUser } from './agent-merges'
import { addForRows, Changeset, commit } from './changeset'
import { verifyDeletion, type VerifySettings } from './deletion-verification'
import { ensureAgentDnt, ensureUserDnt } from './dnt'
import { recordMembers } from './groups'
import type { StoredResource } from '../model/resource'
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
  const record = pendingDeletion(ctx, user, source)
  cs.add(
    insertDeletionStatement(ctx.db, record),
    ...deleteUserStatements(ctx.db, ctx.tenantId, user.id, ctx.now)
  )
  recordDeletion(
    cs,
    user.id,
    groups.map((g) => g.value),
    record.id
  )
  ctx.wake.purge = true
}

/** The deletion record of `user`, pending until its purge and verification. */
function pendingDeletion(
  ctx: WriteContext,
  user: StoredResource,
  source: DeletionSource
): DeletionRow {
  return {
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
}

/** The history of a deletion: the user leaves each group, is deleted, and its deletion pends. */
function recordDeletion(
  cs: Changeset,
  userId: string,
  groupIds: readonly string[],
  deletionId: string
): void {
  for (const groupId of groupIds) recordMembers(cs, groupId, { add: [], remove: [userId] })
  cs.record({ op: 'user.delete', resourceType: 'User', resourceId: userId, userId, changes: [] })
  cs.record({
    op: 'deletion.request',
    resourceType: 'Deletion',
    resourceId: deletionId,
    userId,
    changes: [{ attr: 'status', after: 'pending' }],
  })
}

/** Agents purged per alarm step: bounded work per invocation. */
const PURGE_AGENTS_PER_STEP = 200

/**
 * One bounded purge step: detaches, DNT-lists and removes the agents of deleted users (merged
 * ones included), and marks each deletion purged once nothing is left, verifying it at once
 * (the first time: later checks are the cron's). It finds them by their link to the deleted
 * user, which no report or user write moves in the meantime (agent-links.ts). Returns true
 * when more work remains.
 */
export async function purgeStep(ctx: WriteContext, settings: VerifySettings): Promise<boolean> {
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
    addForRows(ctx, cs, batch, removeAgentsStatement)
    const done = batch.length === linked.length
    if (done)
      cs.add(updateDeletionStatement(ctx.db, ctx.tenantId, deletion.id, { purgedAt: ctx.now }))
    await commit(ctx, cs, 'deletion')
    if (done && deletion.attempts === 0) await verifyDeletion(ctx, deletion, settings)
    budget -= batch.length
    if (!done || budget <= 0) return true
  }
  return (await unpurgedDeletions(ctx.db, ctx.tenantId, 1)).length > 0
}
