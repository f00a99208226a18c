/**
 * @module The users phase of a sync: each chunk of staged Entra users is created, updated (as
 * the settings allow) or left as it is, in one atomic write through the same domain service as
 * SCIM (so agent links, the DNT list and the history follow). Unchanged users write nothing.
 */
import { Changeset, commit } from '../../domain/changeset'
import { stageUserWrites, type UserWrite } from '../../domain/users'
import { firstVersion, nextVersion } from '../../domain/write-context'
import type { GraphUser } from '../../graph/schemas'
import { isDeepStrictEqual } from '../../lib/equal'
import type { StoredResource } from '../../model/resource'
import { USER_RESOURCE_TYPE } from '../../scim/schemas'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { normalizeResource } from '../../scim/schemas/normalize'
import { activeAgentCounts } from '../../storage/repos/agents'
import { deletedIdentifiers } from '../../storage/repos/deletions'
import { scimUserFromGraph } from '../entra-mapping'
import { addError, enterPhase } from '../report'
import { USERS_PER_STEP, type ApplyDeps } from './context'
import { productUsers } from './match-users'

/** The attributes the sync owns on a user; others (set by SCIM, say) are left alone. */
const SYNC_OWNED = ['userName', 'active', 'emails', 'displayName', 'name', 'userType']

/**
 * The user as the sync leaves it: the owned attributes from Entra (only `active` without
 * attribute sync), and the Entra object id as externalId where the user has none yet, so a
 * later instance for the same directory finds it whatever its UPN has become.
 */
function mergeOwned(
  current: ScimDocument,
  desired: ScimDocument,
  attributes: boolean
): ScimDocument {
  const next: ScimDocument = { ...current }
  const owned = attributes ? SYNC_OWNED : ['active']
  for (const key of owned) {
    if (desired[key] === undefined) Reflect.deleteProperty(next, key)
    else next[key] = desired[key]
  }
  if (attributes) {
    for (const urn of Object.keys(desired).filter((k) => k.startsWith('urn:')))
      next[urn] = desired[urn]
    next.schemas = desired.schemas
  }
  next.externalId ??= desired.externalId
  return next
}

/**
 * The Delete parent's users: one already linked is left to the delete phase, even after it is
 * gone; one not linked is applied once (so its agents link, then go with it), unless it was
 * deleted before (by an earlier instance for the directory, say) and nothing holds its place.
 */
async function skipped(
  deps: ApplyDeps,
  users: readonly GraphUser[],
  found: ReadonlyMap<string, unknown>
): Promise<Set<string>> {
  const { ctx, stage, run } = deps
  const deleting = new Set(stage.usersOfKind(run.id, 'delete-parent'))
  const candidates = users.filter((u) => deleting.has(u.id))
  const known = stage.linksFor(
    run.instanceId,
    'user',
    candidates.map((u) => u.id)
  )
  const fresh = candidates.filter((u) => !known.has(u.id) && !found.has(u.id))
  const gone = await deletedIdentifiers(
    ctx.db,
    ctx.tenantId,
    fresh.map((u) => u.id),
    fresh.map((u) => u.userPrincipalName ?? u.id)
  )
  const wasDeleted = (u: GraphUser) =>
    gone.externalIds.has(u.id) || gone.userNames.has(u.userPrincipalName ?? u.id)
  return new Set([...known.keys(), ...fresh.filter(wasDeleted).map((u) => u.id)])
}

/** One chunk of staged users: create, update (as the settings allow) or leave as they are. */
export async function applyUsersChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, stage, run } = deps
  const users = stage.users(run.id, run.after, USERS_PER_STEP)
  const last = users.at(-1)
  if (!last) {
    enterPhase(run, 'apply-groups')
    return
  }
  const { writes, links } = await planUsers(deps, users)
  const cs = new Changeset()
  await stageUserWrites(ctx, cs, writes)
  await commit(ctx, cs, 'userName')
  stage.setLinks(run.instanceId, 'user', links)
  await countUsers(deps, users.length, writes, links)
  run.after = last.id
}

/** A chunk's writes and links (Entra id → product id): skipped users and held userNames aside. */
async function planUsers(
  deps: ApplyDeps,
  users: readonly GraphUser[]
): Promise<{ writes: UserWrite[]; links: [string, string][] }> {
  const { found, blocked } = await productUsers(deps, users)
  const skip = await skipped(deps, users, found)
  const writes: UserWrite[] = []
  const links: [string, string][] = []
  for (const u of users.filter((x) => !skip.has(x.id))) {
    if (blocked.has(u.id)) {
      addError(deps.run, {
        at: deps.ctx.now,
        message: `User ${u.userPrincipalName ?? u.id} (${u.id}) was skipped: its userName belongs to a user synced from another Entra user`,
      })
      continue
    }
    const { write, productId } = planUser(deps, u, found.get(u.id))
    if (write) writes.push(write)
    links.push([u.id, productId])
  }
  return { writes, links }
}

/** One Entra user: a new product user, the matched one updated, or nothing to write. */
function planUser(
  deps: ApplyDeps,
  u: GraphUser,
  current: StoredResource | undefined
): { write?: UserWrite; productId: string } {
  const { ctx, settings } = deps
  const desired = normalizeResource(USER_RESOURCE_TYPE, scimUserFromGraph(u), { mode: 'create' })
  if (!current) {
    const after = firstVersion(ctx, desired)
    return { write: { before: undefined, after }, productId: after.id }
  }
  const next = mergeOwned(current.doc, desired, settings.syncAttributes)
  if (isDeepStrictEqual(next, current.doc)) return { productId: current.id }
  return {
    write: { before: current, after: nextVersion(ctx, current, next) },
    productId: current.id,
  }
}

async function countUsers(
  deps: ApplyDeps,
  seen: number,
  writes: readonly UserWrite[],
  links: readonly [string, string][]
): Promise<void> {
  const { ctx, run } = deps
  run.counts.entraUsersSeen += seen
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
}
