/**
 * @module Keeps every user's effective role current. Any write that changes memberships (or a
 * group's role) names the users it touches and what it is about to change; their role is
 * recomputed over the memberships as they will be after the write, stored on the user row,
 * and each change of the effective role is recorded in the history.
 */
import {
  effectiveRole,
  roleSource,
  type MembershipFact,
  type RoleAssignment,
} from '../directory/effective-role'
import { membershipFacts } from '../storage/repos/groups'
import { chunk, JSON_LIST_MAX } from '../storage/chunk'
import { roleStates, setRolesStatements, type RoleState } from '../storage/repos/users'
import type { Changeset } from './changeset'
import type { WriteContext } from './write-context'

/** The membership changes a write is about to commit. */
export interface MembershipOverlay {
  added?: readonly { userId: string; groupId: string }[]
  removed?: readonly { userId: string; groupId: string }[]
  /** Groups being deleted: every membership in them goes. */
  removedGroups?: readonly string[]
  /** The role each group named here will carry after the write. */
  groupRoles?: ReadonlyMap<string, string | null>
}

/** The overlay's added and removed groups of each user, looked up per user in O(1). */
interface OverlayByUser {
  added: ReadonlyMap<string, readonly string[]>
  removed: ReadonlyMap<string, readonly string[]>
}

function groupsByUser(pairs: readonly { userId: string; groupId: string }[] = []) {
  const byUser = new Map<string, string[]>()
  for (const { userId, groupId } of pairs) {
    const list = byUser.get(userId)
    if (list) list.push(groupId)
    else byUser.set(userId, [groupId])
  }
  return byUser
}

function factsAfter(
  facts: MembershipFact[],
  userId: string,
  overlay: MembershipOverlay,
  byUser: OverlayByUser,
  now: string
): MembershipFact[] {
  const gone = new Set([...(byUser.removed.get(userId) ?? []), ...(overlay.removedGroups ?? [])])
  const roleOf = (f: MembershipFact) =>
    overlay.groupRoles?.has(f.groupId) ? (overlay.groupRoles.get(f.groupId) ?? null) : f.roleId
  const kept = facts.filter((f) => !gone.has(f.groupId)).map((f) => ({ ...f, roleId: roleOf(f) }))
  const present = new Set(kept.map((f) => f.groupId))
  for (const groupId of byUser.added.get(userId) ?? []) {
    if (present.has(groupId)) continue
    kept.push({ groupId, joinedAt: now, roleId: overlay.groupRoles?.get(groupId) ?? null })
  }
  return kept
}

/** The role a stored assignment stands for: a role id, `group:<id>`, or null (no role). */
function resolvedRole(ctx: WriteContext, a: RoleAssignment): string | null {
  const source = roleSource(a, ctx.settings)
  if (source === null) return null
  return source.kind === 'group' ? `group:${source.groupId}` : source.roleId
}

/**
 * Recomputes the effective role of `userIds` as if `overlay` were committed, and adds the
 * updates and history entries to the changeset. The default role is stored as "no group"
 * (null, null), so changing the tenant's default touches no user row.
 */
export async function recomputeRoles(
  ctx: WriteContext,
  cs: Changeset,
  userIds: readonly string[],
  overlay: MembershipOverlay
): Promise<void> {
  // Indexed once, so a write adding thousands of members costs linear time, not quadratic.
  const byUser = { added: groupsByUser(overlay.added), removed: groupsByUser(overlay.removed) }
  for (const part of chunk([...new Set(userIds)], JSON_LIST_MAX))
    await recomputeChunk(ctx, cs, part, overlay, byUser)
}

async function recomputeChunk(
  ctx: WriteContext,
  cs: Changeset,
  ids: string[],
  overlay: MembershipOverlay,
  byUser: OverlayByUser
): Promise<void> {
  // A write the object commits in a group reads its members from the role snapshot while it
  // holds (./role-snapshot.ts); any other reads D1.
  const snapshot = ctx.known.roles
  const answer = ctx.staged !== undefined ? snapshot?.answer(ids) : undefined
  const facts = new Map<string, MembershipFact[]>()
  for (const f of answer?.facts ?? (await membershipFacts(ctx.db, ctx.tenantId, ids))) {
    const list = facts.get(f.userId) ?? []
    list.push({ groupId: f.groupId, joinedAt: f.joinedAt, roleId: f.roleId })
    facts.set(f.userId, list)
  }
  const states = answer?.states ?? (await roleStates(ctx.db, ctx.tenantId, ids))
  snapshot?.touch(ids)
  const changed: RoleState[] = []
  for (const state of states) {
    const next = effectiveRole(
      factsAfter(facts.get(state.id) ?? [], state.id, overlay, byUser, ctx.now),
      ctx.settings.roleMode,
      null
    )
    if (next.roleId === state.roleId && next.viaGroupId === state.roleGroupId) continue
    changed.push({ id: state.id, roleId: next.roleId, roleGroupId: next.viaGroupId })
    recordRoleChange(ctx, cs, state, next)
  }
  cs.add(...setRolesStatements(ctx.db, ctx.tenantId, changed))
}

function recordRoleChange(
  ctx: WriteContext,
  cs: Changeset,
  state: RoleState,
  next: RoleAssignment
): void {
  const before = resolvedRole(ctx, { roleId: state.roleId, viaGroupId: state.roleGroupId })
  const after = resolvedRole(ctx, next)
  if (before === after) return
  cs.record({
    op: 'role.change',
    resourceType: 'User',
    resourceId: state.id,
    userId: state.id,
    changes: [
      { attr: 'role', before, after },
      { attr: 'roleGroup', before: state.roleGroupId, after: next.viaGroupId },
    ],
  })
}
