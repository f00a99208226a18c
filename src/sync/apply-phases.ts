/**
 * @module The phases of a sync that apply what was read to the product, through the same domain
 * services as SCIM (so agent links, roles, the DNT list and the history follow): users first,
 * then each child group as one atomic write (never half-applied), then groups whose child left
 * the parent, then the Do Not Track and Delete parents. Every write is compared with what is
 * stored first: a sync that finds nothing changed writes nothing.
 */
import type { PullSettings } from '../domain/instances'
import { Changeset, commit } from '../domain/changeset'
import { requestDeletion } from '../domain/deletions'
import { ensureUserDnt } from '../domain/dnt'
import { deleteGroup, stageGroupWrite } from '../domain/groups'
import type { StoredResource } from '../domain/resource'
import { stageUserWrites, type UserWrite } from '../domain/users'
import { nextVersion, type WriteContext } from '../domain/write-context'
import type { GraphUser } from '../graph/schemas'
import { isDeepStrictEqual } from '../lib/equal'
import { conflict, ScimError } from '../scim/errors'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../scim/schemas'
import type { ScimDocument } from '../scim/schemas/attribute'
import { normalizeResource } from '../scim/schemas/normalize'
import { activeAgentCounts } from '../storage/repos/agents'
import {
  findGroupIdByDisplayName,
  getGroup,
  memberIds,
  type GroupResource,
} from '../storage/repos/groups'
import { usersByIds, usersByUserNames } from '../storage/repos/users'
import { scimUserFromGraph } from './entra-mapping'
import { addError, enterPhase, type SyncRun } from './report'
import type { SyncStage } from './stage'

export interface ApplyEnv {
  run: SyncRun
  settings: PullSettings
  stage: SyncStage
  ctx: WriteContext
}

/** Work per step: bounded so no single alarm invocation approaches the CPU limit. */
export const USERS_PER_STEP = 250
export const GROUPS_PER_STEP = 10
export const LISTED_PER_STEP = 200

/** The attributes the sync owns on a user; others (set by SCIM, say) are left alone. */
const SYNC_OWNED = ['userName', 'active', 'emails', 'displayName', 'name', 'userType']

function mergeOwned(
  current: ScimDocument,
  desired: ScimDocument,
  attributes: boolean
): ScimDocument {
  const next: ScimDocument = { ...current }
  const owned = attributes ? SYNC_OWNED : ['active']
  for (const key of owned) {
    if (desired[key] === undefined) delete next[key]
    else next[key] = desired[key]
  }
  if (attributes) {
    for (const urn of Object.keys(desired).filter((k) => k.startsWith('urn:')))
      next[urn] = desired[urn]
    next.schemas = desired.schemas
  }
  return next
}

interface ProductUsers {
  /** Entra id → the product user it is. */
  found: Map<string, StoredResource>
  /** Entra ids whose userName is held by a product user another Entra user owns. */
  blocked: Set<string>
}

/**
 * The product user each staged Entra user is: by link, else by userName (adopting a user made by
 * SCIM, say). A userName held by a user another Entra user owns (a UPN moved to someone else) is
 * not adopted: that Entra user is skipped and reported.
 */
async function productUsers(env: ApplyEnv, users: readonly GraphUser[]): Promise<ProductUsers> {
  const { ctx, stage, run } = env
  const links = stage.linksFor(
    run.instanceId,
    'user',
    users.map((u) => u.id)
  )
  const linked = await usersByIds(ctx.db, ctx.tenantId, [...links.values()])
  const byId = new Map(linked.map((p) => [p.id, p]))
  const found = new Map<string, StoredResource>()
  const unmatched: GraphUser[] = []
  for (const u of users) {
    const product = byId.get(links.get(u.id) ?? '')
    if (product) found.set(u.id, product)
    else unmatched.push(u)
  }
  const nameOf = (u: GraphUser) => (u.userPrincipalName ?? u.id).toLowerCase()
  const named = await usersByUserNames(ctx.db, ctx.tenantId, unmatched.map(nameOf))
  const owners = stage.ownersOf(
    run.instanceId,
    'user',
    named.map((p) => p.id)
  )
  const byName = new Map(named.map((p) => [String(p.doc.userName).toLowerCase(), p]))
  const blocked = new Set<string>()
  for (const u of unmatched) {
    const product = byName.get(nameOf(u))
    if (!product) continue
    const owner = owners.get(product.id)
    if (owner === undefined || owner === u.id) found.set(u.id, product)
    else blocked.add(u.id)
  }
  return { found, blocked }
}

/** One chunk of staged users: create, update (as the settings allow) or leave as they are. */
export async function applyUsersChunk(env: ApplyEnv): Promise<void> {
  const { ctx, stage, run, settings } = env
  const users = stage.users(run.id, run.after, USERS_PER_STEP)
  const last = users.at(-1)
  if (!last) return enterPhase(run, 'apply-groups')
  // A Delete-parent user is applied once (so its agents link, then go with it); once linked it
  // is left to the delete phase, even after it is gone.
  const deleting = new Set(stage.usersOfKind(run.id, 'delete-parent'))
  const known = stage.linksFor(
    run.instanceId,
    'user',
    users.map((u) => u.id)
  )
  const { found, blocked } = await productUsers(env, users)
  const writes: UserWrite[] = []
  const links: [string, string][] = []
  for (const u of users.filter((x) => !(deleting.has(x.id) && known.has(x.id)))) {
    if (blocked.has(u.id)) {
      addError(run, {
        at: ctx.now,
        message: `User ${u.userPrincipalName ?? u.id} (${u.id}) was skipped: its userName belongs to a user synced from another Entra user`,
      })
      continue
    }
    const desired = normalizeResource(USER_RESOURCE_TYPE, scimUserFromGraph(u), { mode: 'create' })
    const current = found.get(u.id)
    if (!current) {
      const created = {
        id: ctx.newId(),
        doc: desired,
        version: 1,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      }
      writes.push({ before: undefined, after: created })
      links.push([u.id, created.id])
      continue
    }
    const next = mergeOwned(current.doc, desired, settings.syncAttributes)
    if (!isDeepStrictEqual(next, current.doc))
      writes.push({ before: current, after: nextVersion(ctx, current, next) })
    links.push([u.id, current.id])
  }
  const cs = new Changeset()
  await stageUserWrites(ctx, cs, writes)
  await commit(ctx, cs, 'userName')
  stage.setLinks(run.instanceId, 'user', links)
  run.counts.entraUsersSeen += users.length
  run.counts.usersCreated += writes.filter((w) => !w.before).length
  run.counts.usersUpdated += writes.filter((w) => w.before).length
  const agents = await activeAgentCounts(
    ctx.db,
    ctx.tenantId,
    links.map(([, p]) => p)
  )
  const linked = links.filter(([, p]) => (agents.get(p) ?? 0) > 0).length
  run.counts.linked += linked
  run.counts.unlinked += links.length - linked
  run.after = last.id
}

/** Applies one child group (its document and its members) as a single atomic write. */
async function applyGroup(
  env: ApplyEnv,
  group: { id: string; displayName: string },
  deleting: Set<string>
): Promise<void> {
  const { ctx, stage, run } = env
  const staged = stage.memberIds(run.id, group.id)
  const userLinks = stage.linksFor(run.instanceId, 'user', staged)
  const members = [
    ...new Set(
      stage
        .memberIds(run.id, group.id)
        .filter((u) => !deleting.has(u))
        .flatMap((u) => userLinks.get(u) ?? [])
    ),
  ]
  const linkedId = stage.linksFor(run.instanceId, 'group', [group.id]).get(group.id)
  const current =
    (linkedId ? await getGroup(ctx.db, ctx.tenantId, linkedId) : undefined) ??
    (await adoptByName(env, group))
  const desired = normalizeResource(
    GROUP_RESOURCE_TYPE,
    { displayName: group.displayName, externalId: group.id },
    { mode: 'create' }
  )
  if (!current) {
    const agents = await activeAgentCounts(ctx.db, ctx.tenantId, members)
    if (members.every((m) => !agents.get(m))) {
      run.counts.groupsSkippedNoLinkedUsers++
      return
    }
  }
  const stored = current
    ? new Set(await memberIds(ctx.db, ctx.tenantId, current.id))
    : new Set<string>()
  const wanted = new Set(members)
  const delta = {
    add: members.filter((m) => !stored.has(m)),
    remove: [...stored].filter((m) => !wanted.has(m)),
  }
  const doc = current
    ? { ...current.doc, displayName: desired.displayName, externalId: desired.externalId }
    : desired
  const docChanged = !current || !isDeepStrictEqual(doc, current.doc)
  if (current && !docChanged && delta.add.length + delta.remove.length === 0)
    return stage.setLinks(run.instanceId, 'group', [[group.id, current.id]])
  const next = current
    ? nextVersion(ctx, current, doc)
    : { id: ctx.newId(), doc, version: 1, createdAt: ctx.now, updatedAt: ctx.now }
  const cs = new Changeset()
  await stageGroupWrite(ctx, cs, current, next, delta)
  await commit(ctx, cs, `A group named "${group.displayName}"`)
  stage.setLinks(run.instanceId, 'group', [[group.id, next.id]])
  run.counts[current ? 'groupsUpdated' : 'groupsCreated']++
  run.counts.membersAdded += delta.add.length
  run.counts.membersRemoved += delta.remove.length
}

/**
 * A product group of the same name (made by SCIM, say) is adopted, unless another Entra group
 * of this instance owns it: Entra allows two child groups of one name, product names are unique.
 */
async function adoptByName(
  env: ApplyEnv,
  group: { id: string; displayName: string }
): Promise<GroupResource | undefined> {
  const { ctx, stage, run } = env
  const id = await findGroupIdByDisplayName(ctx.db, ctx.tenantId, group.displayName)
  if (!id) return undefined
  const owner = stage.ownersOf(run.instanceId, 'group', [id]).get(id)
  if (owner !== undefined && owner !== group.id) {
    throw conflict(
      `Entra groups ${owner} and ${group.id} are both named "${group.displayName}"; group names are unique here: rename one in Entra ID`
    )
  }
  return getGroup(ctx.db, ctx.tenantId, id)
}

export async function applyGroupsChunk(env: ApplyEnv): Promise<void> {
  const { stage, run } = env
  const groups = stage.groups(run.id, 'child', run.after, GROUPS_PER_STEP)
  const last = groups.at(-1)
  if (!last) return enterPhase(run, 'remove-groups')
  const deleting = new Set(stage.usersOfKind(run.id, 'delete-parent'))
  for (const group of groups) {
    try {
      await applyGroup(env, group, deleting)
    } catch (error) {
      if (!(error instanceof ScimError) || error.status >= 500) throw error
      addError(run, {
        at: env.ctx.now,
        message: `Group "${group.displayName}" (${group.id}) was not applied: ${error.message}`,
      })
    }
    run.after = group.id
  }
}

/** Product groups whose Entra group is no longer a child of the groups parent are deleted. */
export async function removeGroupsChunk(env: ApplyEnv): Promise<void> {
  const { ctx, stage, run } = env
  const children = new Set(stage.groups(run.id, 'child').map((g) => g.id))
  const gone = [...stage.links(run.instanceId, 'group')]
    .filter(([entraId]) => !children.has(entraId))
    .slice(0, GROUPS_PER_STEP)
  if (gone.length === 0) return enterPhase(run, 'apply-dnt')
  for (const [entraId, productId] of gone) {
    if (await getGroup(ctx.db, ctx.tenantId, productId)) {
      await deleteGroup(ctx, productId)
      run.counts.groupsDeleted++
    }
    stage.removeLink(run.instanceId, 'group', entraId)
  }
}

/** Product users (by link) of the staged users of a parent, after the phase's position. */
function parentUsers(env: ApplyEnv, kind: 'dnt-parent' | 'delete-parent'): [string, string][] {
  const ids = env.stage.usersOfKind(env.run.id, kind, env.run.after, LISTED_PER_STEP)
  const links = env.stage.linksFor(env.run.instanceId, 'user', ids)
  return ids.map((id) => [id, links.get(id) ?? ''])
}

/** Everyone under the DNT parent goes on the Do Not Track list (sticky: never taken off here). */
export async function applyDntChunk(env: ApplyEnv): Promise<void> {
  const { ctx, run } = env
  const chunk = parentUsers(env, 'dnt-parent')
  const last = chunk.at(-1)
  if (!last) return enterPhase(run, 'apply-deletes')
  const users = await usersByIds(
    ctx.db,
    ctx.tenantId,
    chunk.map(([, p]) => p).filter((p) => p !== '')
  )
  const cs = new Changeset()
  for (const user of users)
    if (await ensureUserDnt(ctx, cs, user, 'pull-dnt')) run.counts.dntAdded++
  await commit(ctx, cs, 'Do Not Track entry')
  run.after = last[0]
}

/** Everyone under the Delete parent is deleted as the directory model defines (once). */
export async function applyDeletesChunk(env: ApplyEnv): Promise<void> {
  const { ctx, run } = env
  const chunk = parentUsers(env, 'delete-parent')
  const last = chunk.at(-1)
  if (!last) return enterPhase(run, 'done')
  const users = await usersByIds(
    ctx.db,
    ctx.tenantId,
    chunk.map(([, p]) => p).filter((p) => p !== '')
  )
  const cs = new Changeset()
  for (const user of users) {
    await requestDeletion(ctx, cs, user, 'pull-delete')
    run.counts.deletionsRequested++
  }
  await commit(ctx, cs, 'deletion')
  run.after = last[0]
}
