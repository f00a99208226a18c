/**
 * @module The parent phases of a sync: everyone under the Do Not Track parent goes on the DNT
 * list, everyone under the Delete parent is deleted as the directory model defines, each in
 * bounded chunks.
 */
import { Changeset, commit } from '../../domain/changeset'
import { requestDeletion } from '../../domain/deletions'
import { ensureUserDnt } from '../../domain/dnt'
import type { StoredResource } from '../../model/resource'
import { usersByIds } from '../../storage/repos/users'
import { enterPhase, type Phase } from '../report'
import { LISTED_PER_STEP, type ApplyDeps } from './context'

/** Product users (by link) of the staged users of a parent, after the phase's position. */
function parentUsers(deps: ApplyDeps, kind: 'dnt-parent' | 'delete-parent'): [string, string][] {
  const ids = deps.stage.usersOfKind(deps.run.id, kind, deps.run.after, LISTED_PER_STEP)
  const links = deps.stage.linksFor(deps.run.instanceId, 'user', ids)
  return ids.map((id) => [id, links.get(id) ?? ''])
}

/**
 * One chunk of a parent phase: the next staged users of the parent that have a product user get
 * `apply` in one changeset; once none are left the run enters `next`.
 */
async function applyParentChunk(
  deps: ApplyDeps,
  kind: 'dnt-parent' | 'delete-parent',
  next: Phase,
  apply: (cs: Changeset, user: StoredResource) => Promise<void>,
  what: string
): Promise<void> {
  const { ctx, run } = deps
  const chunk = parentUsers(deps, kind)
  const last = chunk.at(-1)
  if (!last) {
    enterPhase(run, next)
    return
  }
  const users = await usersByIds(
    ctx.db,
    ctx.tenantId,
    chunk.map(([, p]) => p).filter((p) => p !== '')
  )
  const cs = new Changeset()
  for (const user of users) await apply(cs, user)
  await commit(ctx, cs, what)
  run.after = last[0]
}

/** Everyone under the DNT parent goes on the Do Not Track list (sticky: never taken off here). */
export async function applyDntChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, run } = deps
  const add = async (cs: Changeset, user: StoredResource) => {
    if (await ensureUserDnt(ctx, cs, user, 'pull-dnt')) run.counts.dntAdded++
  }
  await applyParentChunk(deps, 'dnt-parent', 'apply-deletes', add, 'Do Not Track entry')
}

/** Everyone under the Delete parent is deleted as the directory model defines (once). */
export async function applyDeletesChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, run } = deps
  const remove = async (cs: Changeset, user: StoredResource) => {
    await requestDeletion(ctx, cs, user, 'pull-delete')
    run.counts.deletionsRequested++
  }
  await applyParentChunk(deps, 'delete-parent', 'out-of-scope', remove, 'deletion')
}
