/**
 * @module The users phase of a sync: each chunk of staged Entra users is created, updated (as
 * the settings allow) or left as it is, in one atomic write through the same domain service as
 * SCIM (so agent links, the DNT list and the history follow). Unchanged users write nothing.
 */
import { Changeset, commit } from '../../domain/changeset'
import { stageUserWrites, type UserWrite } from '../../domain/users'
import { nextVersion } from '../../domain/write-context'
import type { GraphUser } from '../../graph/schemas'
import { isDeepStrictEqual } from '../../lib/equal'
import { USER_RESOURCE_TYPE } from '../../scim/schemas'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { normalizeResource } from '../../scim/schemas/normalize'
import { activeAgentCounts } from '../../storage/repos/agents'
import { deletedIdentifiers } from '../../storage/repos/directory'
import { scimUserFromGraph } from '../entra-mapping'
import { addError, enterPhase } from '../report'
import { USERS_PER_STEP, type ApplyEnv } from './context'
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
  env: ApplyEnv,
  users: readonly GraphUser[],
  found: ReadonlyMap<string, unknown>
): Promise<Set<string>> {
  const { ctx, stage, run } = env
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
  const ids = new Set(gone.flatMap((g) => [g.externalId ?? '', g.userName ?? '']))
  const wasDeleted = (u: GraphUser) =>
    ids.has(u.id) || ids.has((u.userPrincipalName ?? u.id).toLowerCase())
  return new Set([...known.keys(), ...fresh.filter(wasDeleted).map((u) => u.id)])
}

/** One chunk of staged users: create, update (as the settings allow) or leave as they are. */
export async function applyUsersChunk(env: ApplyEnv): Promise<void> {
  const { ctx, stage, run, settings } = env
  const users = stage.users(run.id, run.after, USERS_PER_STEP)
  const last = users.at(-1)
  if (!last) {
    enterPhase(run, 'apply-groups')
    return
  }
  const { found, blocked } = await productUsers(env, users)
  const skip = await skipped(env, users, found)
  const writes: UserWrite[] = []
  const links: [string, string][] = []
  for (const u of users.filter((x) => !skip.has(x.id))) {
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
      const created = { id: ctx.newId(), doc: desired, version: 1, createdAt: ctx.now }
      writes.push({ before: undefined, after: { ...created, updatedAt: ctx.now } })
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
  await countUsers(env, users.length, writes, links)
  run.after = last.id
}

async function countUsers(
  env: ApplyEnv,
  seen: number,
  writes: readonly UserWrite[],
  links: readonly [string, string][]
): Promise<void> {
  const { ctx, run } = env
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
