/**
 * @module The group phases of a sync: each child group of the groups parent is applied as one
 * atomic write (its document and its members, never half-applied), then the product groups of
 * children that left the parent are deleted. A child's product group is the one this instance
 * linked it to; else the one whose externalId is its Entra object id (so an instance deleted and
 * created again for the same directory finds the groups the old one made, even renamed); else
 * the one of its name.
 */
import { Changeset, commit } from '../../domain/changeset'
import { deleteGroup, stageGroupWrite } from '../../domain/groups'
import { firstVersion, nextVersion } from '../../domain/write-context'
import { isDeepStrictEqual } from '../../lib/equal'
import { conflict, ScimError } from '../../scim/errors'
import { GROUP_RESOURCE_TYPE } from '../../scim/schemas'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { normalizeResource } from '../../scim/schemas/normalize'
import { activeAgentCounts } from '../../storage/repos/agents'
import {
  findGroupIdByDisplayName,
  findGroupIdsByExternalId,
  getGroup,
  memberIds,
  type GroupResource,
  type MemberDelta,
} from '../../storage/repos/groups'
import { namesOtherObject } from '../entra-mapping'
import { addError, enterPhase } from '../report'
import { GROUPS_PER_STEP, type ApplyDeps } from './context'

interface EntraGroup {
  id: string
  displayName: string
}

/** The product group of an Entra group's object id that no other Entra group of this instance holds. */
async function adoptByExternalId(
  deps: ApplyDeps,
  group: EntraGroup
): Promise<GroupResource | undefined> {
  const { ctx, stage, run } = deps
  const ids = await findGroupIdsByExternalId(ctx.db, ctx.tenantId, group.id)
  const owners = stage.ownersOf(run.instanceId, 'group', ids)
  const free = ids.find((id) => (owners.get(id) ?? group.id) === group.id)
  return free === undefined ? undefined : getGroup(ctx.db, ctx.tenantId, free)
}

/**
 * A product group of the same name (made by SCIM, say) is adopted, unless another Entra group
 * holds it (this instance's link, or its externalId): Entra allows two child groups of one name,
 * product names are unique.
 */
async function adoptByName(deps: ApplyDeps, group: EntraGroup): Promise<GroupResource | undefined> {
  const { ctx, stage, run } = deps
  const id = await findGroupIdByDisplayName(ctx.db, ctx.tenantId, group.displayName)
  if (!id) return undefined
  const owner = stage.ownersOf(run.instanceId, 'group', [id]).get(id)
  if (owner !== undefined && owner !== group.id) {
    throw conflict(
      `Entra groups ${owner} and ${group.id} are both named "${group.displayName}"; group names are unique here: rename one in Entra ID`
    )
  }
  const found = await getGroup(ctx.db, ctx.tenantId, id)
  const externalId = found?.doc.externalId
  if (owner === undefined && namesOtherObject(externalId, group.id)) {
    throw conflict(
      `The group "${group.displayName}" here belongs to Entra group ${String(externalId)} (its externalId); group names are unique here: rename one in Entra ID`
    )
  }
  return found
}

async function currentGroup(
  deps: ApplyDeps,
  group: EntraGroup
): Promise<GroupResource | undefined> {
  const { ctx, stage, run } = deps
  const linkedId = stage.linksFor(run.instanceId, 'group', [group.id]).get(group.id)
  return (
    (linkedId ? await getGroup(ctx.db, ctx.tenantId, linkedId) : undefined) ??
    (await adoptByExternalId(deps, group)) ??
    (await adoptByName(deps, group))
  )
}

/** The product users a child group should hold: its staged members, but not those being deleted. */
function wantedMembers(deps: ApplyDeps, group: EntraGroup, deleting: Set<string>): string[] {
  const { stage, run } = deps
  const staged = stage.memberIds(run.id, group.id).filter((u) => !deleting.has(u))
  const userLinks = stage.linksFor(run.instanceId, 'user', staged)
  return [...new Set(staged.flatMap((u) => userLinks.get(u) ?? []))]
}

/** Applies one child group (its document and its members) as a single atomic write. */
async function applyGroup(
  deps: ApplyDeps,
  group: EntraGroup,
  deleting: Set<string>
): Promise<void> {
  const { ctx, stage, run } = deps
  const members = wantedMembers(deps, group, deleting)
  const current = await currentGroup(deps, group)
  if (!current && !(await anyLinked(deps, members))) {
    run.counts.groupsSkippedNoLinkedUsers++
    return
  }
  const delta = await membersDelta(deps, current, members)
  const doc = groupDocument(group, current)
  if (
    current &&
    isDeepStrictEqual(doc, current.doc) &&
    delta.add.length + delta.remove.length === 0
  ) {
    stage.setLinks(run.instanceId, 'group', [[group.id, current.id]])
    return
  }
  const next = current ? nextVersion(ctx, current, doc) : firstVersion(ctx, doc)
  const cs = new Changeset()
  await stageGroupWrite(ctx, cs, current, next, delta)
  await commit(ctx, cs, `A group named "${group.displayName}"`)
  stage.setLinks(run.instanceId, 'group', [[group.id, next.id]])
  run.counts[current ? 'groupsUpdated' : 'groupsCreated']++
  run.counts.membersAdded += delta.add.length
  run.counts.membersRemoved += delta.remove.length
}

/** Whether any of these users has an active agent: a new group without one is not made. */
async function anyLinked(deps: ApplyDeps, userIds: readonly string[]): Promise<boolean> {
  const agents = await activeAgentCounts(deps.ctx.db, deps.ctx.tenantId, userIds)
  return userIds.some((m) => agents.get(m))
}

/** The members to add and remove so the product group holds exactly `members`. */
async function membersDelta(
  deps: ApplyDeps,
  current: GroupResource | undefined,
  members: readonly string[]
): Promise<MemberDelta> {
  const stored = new Set(current ? await memberIds(deps.ctx.db, deps.ctx.tenantId, current.id) : [])
  const wanted = new Set(members)
  return {
    add: members.filter((m) => !stored.has(m)),
    remove: [...stored].filter((m) => !wanted.has(m)),
  }
}

/** The group's document: Entra's displayName and id over what the product group holds. */
function groupDocument(group: EntraGroup, current: GroupResource | undefined): ScimDocument {
  const desired = normalizeResource(
    GROUP_RESOURCE_TYPE,
    { displayName: group.displayName, externalId: group.id },
    { mode: 'create' }
  )
  return current
    ? { ...current.doc, displayName: desired.displayName, externalId: desired.externalId }
    : desired
}

export async function applyGroupsChunk(deps: ApplyDeps): Promise<void> {
  const { stage, run } = deps
  const groups = stage.groups(run.id, 'child', run.after, GROUPS_PER_STEP)
  const last = groups.at(-1)
  if (!last) {
    enterPhase(run, 'remove-groups')
    return
  }
  const deleting = new Set(stage.usersOfKind(run.id, 'delete-parent'))
  for (const group of groups) {
    try {
      await applyGroup(deps, group, deleting)
    } catch (error) {
      if (!(error instanceof ScimError) || error.status >= 500) throw error
      addError(run, {
        at: deps.ctx.now,
        message: `Group "${group.displayName}" (${group.id}) was not applied: ${error.message}`,
      })
    }
    run.after = group.id
  }
}

/** Product groups whose Entra group is no longer a child of the groups parent are deleted. */
export async function removeGroupsChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, stage, run } = deps
  const children = new Set(stage.groups(run.id, 'child').map((g) => g.id))
  const gone = [...stage.links(run.instanceId, 'group')]
    .filter(([entraId]) => !children.has(entraId))
    .slice(0, GROUPS_PER_STEP)
  if (gone.length === 0) {
    enterPhase(run, 'apply-dnt')
    return
  }
  for (const [entraId, productId] of gone) {
    if (await getGroup(ctx.db, ctx.tenantId, productId)) {
      await deleteGroup(ctx, productId)
      run.counts.groupsDeleted++
    }
    stage.removeLink(run.instanceId, 'group', entraId)
  }
}
