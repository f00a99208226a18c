/**
 * @module Verifying deletions, as the vendor guide promises ("allow up to 12 hours for
 * verification that deletion is complete"): a deletion is checked as soon as its purge is done
 * (on the tenant object's alarm) and again by the cron while it is pending. Nothing left and a
 * Do Not Track entry present → `verified`. Something left before the deadline (requested +
 * DELETE_VERIFY_DEADLINE_HOURS) → purged again and checked again later; still something left at
 * the deadline → `failed`, with what was left as the reason.
 */
import {
  deletionLeftovers,
  deletionsToVerify,
  updateDeletionStatement,
  type DeletionRow,
  type Leftovers,
} from '../storage/repos/deletions'
import { Changeset, commit } from './changeset'
import { ensureUserDnt } from './dnt'
import type { WriteContext } from './write-context'

export interface VerifySettings {
  /** How long after its request a deletion must be verified (default 12 hours). */
  deadlineMs: number
}

export interface VerifyResult {
  checked: number
  verified: number
  retried: number
  failed: number
}

type Outcome = 'verified' | 'retried' | 'failed'

/** When a deletion requested at `requestedAt` must be verified by. */
export const verifyByOf = (requestedAt: string, deadlineMs: number): string =>
  new Date(Date.parse(requestedAt) + deadlineMs).toISOString()

/** Describes what remains, or undefined when the deletion is complete. */
function leftoverReason(l: Leftovers): string | undefined {
  const parts = [
    l.userRow ? 'the user row still exists' : '',
    l.memberships ? `${String(l.memberships)} group membership(s) remain` : '',
    l.values ? `${String(l.values)} indexed value(s) remain` : '',
    l.agentLinks ? `${String(l.agentLinks)} agent(s) are still linked` : '',
    l.dntEntry ? '' : 'no Do Not Track entry exists',
  ].filter((p) => p !== '')
  return parts.length ? parts.join('; ') : undefined
}

/**
 * Checks one pending deletion and records the outcome; a retry re-runs the purge on the alarm.
 * The purge calls it as soon as a deletion is purged, the cron for the rest.
 */
export async function verifyDeletion(
  ctx: WriteContext,
  d: DeletionRow,
  s: VerifySettings
): Promise<Outcome> {
  const reason = leftoverReason(await deletionLeftovers(ctx.db, ctx.tenantId, d.userId))
  const overdue = Date.parse(ctx.now) >= Date.parse(verifyByOf(d.requestedAt, s.deadlineMs))
  const outcome: Outcome = reason === undefined ? 'verified' : overdue ? 'failed' : 'retried'
  const update = verificationUpdate(ctx, outcome, d.attempts + 1, reason)
  const cs = new Changeset().add(updateDeletionStatement(ctx.db, ctx.tenantId, d.id, update))
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
  return outcome
}

/**
 * The cron's check (at most `limit`): pending deletions whose purge is done, and those past
 * their deadline whatever their state.
 */
export async function verifyDeletions(
  ctx: WriteContext,
  s: VerifySettings,
  limit: number
): Promise<VerifyResult> {
  const deadline = new Date(Date.parse(ctx.now) - s.deadlineMs).toISOString()
  const due = await deletionsToVerify(ctx.db, ctx.tenantId, deadline, limit)
  const result: VerifyResult = { checked: due.length, verified: 0, retried: 0, failed: 0 }
  for (const d of due) result[await verifyDeletion(ctx, d, s)]++
  return result
}

function verificationUpdate(
  ctx: WriteContext,
  outcome: Outcome,
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
