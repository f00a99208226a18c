/**
 * @module Group writes. displayName is unique per tenant case-insensitively; members are users
 * of the same tenant only. Membership changes are computed as a delta against the stored rows
 * and committed with the group, the members' recomputed roles and the history in one batch, so
 * no request ever leaves half a change behind.
 */
import { badRequest, notFound } from '../scim/errors'
import { applyPatch, parsePatchRequest, planGroupPatch, type MemberChange } from '../scim/patch'
import { GROUP_RESOURCE_TYPE, resolverFor } from '../scim/schemas'
import { normalizeResource } from '../scim/schemas/normalize'
import type { ScimDocument } from '../scim/schemas/attribute'
import {
  deleteGroupStatements,
  existingGroupIds,
  getGroup,
  getGroupRoleId,
  memberIds,
  membersAmong,
  writeGroupStatements,
  type GroupResource,
  type MemberDelta,
} from '../storage/repos/groups'
import { existingUserIds } from '../storage/repos/users'
import { isDeepStrictEqual } from '../lib/equal'
import { matchesElement } from '../scim/filter/matcher'
import type { StoredResource } from '../model/resource'
import { diffDocuments } from '../directory/changes'
import { Changeset, commit, commitNextVersion } from './changeset'
import { recomputeRoles } from './roles'
import { GROUP_MEMBERS_MAX, type KnownGroup, type KnownMembers } from './known-state'
import { checkIfMatch, firstVersion, type WriteContext } from './write-context'

const resolveGroup = resolverFor(GROUP_RESOURCE_TYPE)
const MEMBERS_DEF = GROUP_RESOURCE_TYPE.schema.attributes.find((a) => a.name === 'members')

/**
 * displayName is unique per tenant, case-insensitively: the unique index decides inside the
 * write's own batch (no extra round trip, no race), and a refused batch writes nothing.
 */
const displayNameTaken = (doc: ScimDocument): string =>
  `A group with displayName "${String(doc.displayName)}"`

/** Splits the members out of a normalized group document. */
function splitMembers(doc: ScimDocument): { doc: ScimDocument; ids: string[] } {
  const { members, ...rest } = doc
  const ids = Array.isArray(members)
    ? members.flatMap((m: unknown) =>
        typeof m === 'object' && m !== null && 'value' in m && typeof m.value === 'string'
          ? [m.value]
          : []
      )
    : []
  return { doc: rest, ids: [...new Set(ids)] }
}

/**
 * Rejects member ids that are not users of this tenant, with the reason for each kind. Users the
 * tenant's object knows of need no read, nor do the others once it knows every user id.
 */
async function ensureUsers(ctx: WriteContext, ids: readonly string[]): Promise<void> {
  const unknown = ctx.known.unknownUsers(ids)
  if (unknown.length === 0) return
  const users = ctx.known.knowsAllUserIds
    ? new Set<string>()
    : await existingUserIds(ctx.db, ctx.tenantId, unknown)
  ctx.known.rememberUserIds(users)
  const missing = unknown.filter((id) => !users.has(id))
  if (missing.length === 0) return
  const groups = await existingGroupIds(ctx.db, ctx.tenantId, missing)
  const nested = missing.find((id) => groups.has(id))
  if (nested !== undefined) {
    throw badRequest(
      'invalidValue',
      `Group members must be users; nested groups are not supported (member "${nested}")`
    )
  }
  throw badRequest('invalidValue', `Member "${missing[0] ?? ''}" is not a user of this tenant`)
}

/** The group as the object knows it, or as D1 has it (then remembered without its members). */
async function loadGroup(
  ctx: WriteContext,
  id: string,
  ifMatch: string | undefined
): Promise<KnownGroup> {
  let known = ctx.known.group(id)
  if (!known) {
    const group = await getGroup(ctx.db, ctx.tenantId, id)
    if (!group) throw notFound(`Group "${id}" not found`)
    known = { group, members: undefined }
  }
  checkIfMatch(ifMatch, known.group)
  return known
}

export async function createGroup(ctx: WriteContext, body: unknown): Promise<StoredResource> {
  const { doc, ids } = splitMembers(
    normalizeResource(GROUP_RESOURCE_TYPE, body, { mode: 'create' })
  )
  await ensureUsers(ctx, ids)
  const group = firstVersion(ctx, doc)
  const cs = new Changeset()
  await stageGroupWrite(ctx, cs, undefined, group, { add: ids, remove: [] })
  await commit(ctx, cs, displayNameTaken(doc))
  ctx.known.rememberGroup({ ...group, roleId: null }, new Set(ids))
  return group
}

/** Adds a group write, its membership delta, the members' roles and the history. */
export async function stageGroupWrite(
  ctx: WriteContext,
  cs: Changeset,
  before: GroupResource | undefined,
  after: StoredResource,
  delta: MemberDelta
): Promise<void> {
  cs.add(...writeGroupStatements(ctx.db, ctx.tenantId, after, before === undefined, delta))
  const changes = diffDocuments(before?.doc, after.doc)
  if (!before || changes.length) {
    cs.record({
      op: before ? 'group.update' : 'group.create',
      resourceType: 'Group',
      resourceId: after.id,
      changes,
    })
  }
  recordMembers(cs, after.id, delta)
  if (delta.add.length + delta.remove.length === 0) return
  const role = before?.roleId ?? null
  // A membership in a group that grants no role cannot change anyone's role.
  if (ctx.settings.roleMode === 'group-roles' && role === null) return
  const pairs = (ids: readonly string[]) => ids.map((userId) => ({ userId, groupId: after.id }))
  await recomputeRoles(ctx, cs, [...delta.add, ...delta.remove], {
    added: pairs(delta.add),
    removed: pairs(delta.remove),
    groupRoles: new Map([[after.id, role]]),
  })
}

/** Records each member added to and removed from a group in the history. */
export function recordMembers(cs: Changeset, groupId: string, delta: MemberDelta): void {
  for (const userId of delta.add) {
    cs.record({
      op: 'membership.add',
      resourceType: 'Group',
      resourceId: groupId,
      userId,
      changes: [{ attr: 'members', after: userId }],
    })
  }
  for (const userId of delta.remove) {
    cs.record({
      op: 'membership.remove',
      resourceType: 'Group',
      resourceId: groupId,
      userId,
      changes: [{ attr: 'members', before: userId }],
    })
  }
}

/** Commits the group's new state (if anything changed) and remembers it with its members. */
async function saveGroup(
  ctx: WriteContext,
  current: GroupResource,
  doc: ScimDocument,
  { delta, before }: MemberPlan
): Promise<StoredResource> {
  const docChanged = !isDeepStrictEqual(doc, current.doc)
  if (!docChanged && delta.add.length === 0 && delta.remove.length === 0) {
    ctx.known.rememberGroup(current, before)
    return current
  }
  await ensureUsers(ctx, delta.add)
  const next = await commitNextVersion(
    ctx,
    current,
    doc,
    (cs, next) => stageGroupWrite(ctx, cs, current, next, delta),
    displayNameTaken(doc)
  )
  ctx.known.rememberGroup(next, before, delta)
  return next
}

export async function replaceGroup(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<StoredResource> {
  const known = await loadGroup(ctx, id, ifMatch)
  const { doc, ids } = splitMembers(
    normalizeResource(GROUP_RESOURCE_TYPE, body, { mode: 'replace' })
  )
  const plan = await memberPlan(ctx, known, [{ kind: 'replace', ids }])
  return saveGroup(ctx, known.group, doc, plan)
}

export async function patchGroup(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<StoredResource> {
  const plan = planGroupPatch(parsePatchRequest(body))
  const known = await loadGroup(ctx, id, ifMatch)
  const { doc } = plan.attributeOps.length
    ? applyPatch(known.group.doc, plan.attributeOps, {
        resourceType: GROUP_RESOURCE_TYPE,
        resolve: resolveGroup,
      })
    : { doc: known.group.doc }
  return saveGroup(ctx, known.group, doc, await memberPlan(ctx, known, plan.members))
}

export async function deleteGroup(ctx: WriteContext, id: string, ifMatch?: string): Promise<void> {
  await loadGroup(ctx, id, ifMatch)
  const members = await memberIds(ctx.db, ctx.tenantId, id)
  const cs = new Changeset().add(...deleteGroupStatements(ctx.db, ctx.tenantId, id))
  recordMembers(cs, id, { add: [], remove: members })
  cs.record({ op: 'group.delete', resourceType: 'Group', resourceId: id, changes: [] })
  const role = await getGroupRoleId(ctx.db, ctx.tenantId, id)
  if (ctx.settings.roleMode === 'groups-as-roles' || role)
    await recomputeRoles(ctx, cs, members, { removedGroups: [id] })
  await commit(ctx, cs, 'group')
}

const needsAllMembers = (c: MemberChange): boolean => c.kind !== 'add' && c.kind !== 'remove'

/**
 * A request's net membership rows, and the members before it when they are all known (the
 * object remembers them with the rows applied once the write is staged).
 */
interface MemberPlan {
  delta: MemberDelta
  before: KnownMembers
}

/**
 * The stored members the changes can affect: every member when the object knows them or can
 * keep them, or when `all` (a change needs them all), else (a group too large to keep) only
 * the mentioned ones.
 */
async function baselineMembers(
  ctx: WriteContext,
  known: KnownGroup,
  changes: readonly MemberChange[],
  all: boolean
): Promise<{ members: ReadonlySet<string>; complete: boolean }> {
  if (typeof known.members === 'object') return { members: known.members, complete: true }
  const id = known.group.id
  // A group too large to keep: read only the mentioned members.
  if (all || known.members === undefined) {
    const ids = await memberIds(ctx.db, ctx.tenantId, id, all ? undefined : GROUP_MEMBERS_MAX + 1)
    if (all || ids.length <= GROUP_MEMBERS_MAX) return { members: new Set(ids), complete: true }
  }
  const mentioned = [...new Set(changes.flatMap((c) => ('ids' in c ? c.ids : [])))]
  return { members: await membersAmong(ctx.db, ctx.tenantId, id, mentioned), complete: false }
}

/**
 * Plays the membership changes of one request, in order, over the stored members they can
 * affect, and returns the net rows to insert and delete.
 */
async function memberPlan(
  ctx: WriteContext,
  known: KnownGroup,
  changes: readonly MemberChange[]
): Promise<MemberPlan> {
  if (changes.length === 0) return { delta: { add: [], remove: [] }, before: known.members }
  const all = changes.some(needsAllMembers)
  const baseline = await baselineMembers(ctx, known, changes, all)
  return {
    delta: all ? wholeDelta(baseline.members, changes) : netDelta(baseline.members, changes),
    before: baseline.complete ? baseline.members : 'too-many',
  }
}

/** Adds and removes of ids, netted against the baseline: costs the ids named, not the group. */
function netDelta(baseline: ReadonlySet<string>, changes: readonly MemberChange[]): MemberDelta {
  const added = new Set<string>()
  const removed = new Set<string>()
  for (const change of changes) {
    if (change.kind !== 'add' && change.kind !== 'remove') continue
    for (const id of change.ids) {
      if (change.kind === 'add') {
        if (!removed.delete(id) && !baseline.has(id)) added.add(id)
      } else if (!added.delete(id) && baseline.has(id)) {
        removed.add(id)
      }
    }
  }
  return { add: [...added], remove: [...removed] }
}

/** Changes that need every member (replace, remove all or by filter), played over a copy. */
function wholeDelta(baseline: ReadonlySet<string>, changes: readonly MemberChange[]): MemberDelta {
  const members = new Set(baseline)
  for (const change of changes) applyChange(members, change)
  return {
    add: [...members].filter((id) => !baseline.has(id)),
    remove: [...baseline].filter((id) => !members.has(id)),
  }
}

function applyChange(members: Set<string>, change: MemberChange): void {
  switch (change.kind) {
    case 'add':
      for (const id of change.ids) members.add(id)
      return
    case 'remove':
      for (const id of change.ids) members.delete(id)
      return
    case 'removeAll':
      members.clear()
      return
    case 'replace':
      members.clear()
      for (const id of change.ids) members.add(id)
      return
    case 'removeWhere':
      for (const id of [...members]) {
        if (MEMBERS_DEF && matchesElement(change.filter, { value: id, type: 'User' }, MEMBERS_DEF))
          members.delete(id)
      }
  }
}
