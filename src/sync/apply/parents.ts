/**
 * @module The parent phases of a sync: everyone under the Do Not Track parent goes on the DNT
 * list, everyone under the Delete parent is deleted as the directory model defines, each in
 * bounded chunks.
 */
import { Changeset, commit } from '../../domain/changeset'
import { requestDeletion } from '../../domain/deletions'
import { ensureUserDnt } from '../../domain/dnt'
import { usersByIds } from '../../storage/repos/users'
import { enterPhase } from '../report'
import { LISTED_PER_STEP, type ApplyDeps } from './context'

/** Product users (by link) of the staged users of a parent, after the phase's position. */
function parentUsers(deps: ApplyDeps, kind: 'dnt-parent' | 'delete-parent'): [string, string][] {
  const ids = deps.stage.usersOfKind(deps.run.id, kind, deps.run.after, LISTED_PER_STEP)
  const links = deps.stage.linksFor(deps.run.instanceId, 'user', ids)
  return ids.map((id) => [id, links.get(id) ?? ''])
}

/** Everyone under the DNT parent goes on the Do Not Track list (sticky: never taken off here). */
export async function applyDntChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, run } = deps
  const chunk = parentUsers(deps, 'dnt-parent')
  const last = chunk.at(-1)
  if (!last) {
    enterPhase(run, 'apply-deletes')
    return
  }
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
export async function applyDeletesChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, run } = deps
  const chunk = parentUsers(deps, 'delete-parent')
  const last = chunk.at(-1)
  if (!last) {
    enterPhase(run, 'out-of-scope')
    return
  }
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
