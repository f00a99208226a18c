/**
 * @module The last phase of a sync: the users this instance synced that are under no parent any
 * more. The pull sync never deletes or suspends them (leaving the groups is not leaving the
 * company; the Delete parent is how a customer deletes): they keep their account and lose only
 * the groups. The run report counts them and names a few, so an admin can act.
 */
import { usersByIds } from '../../storage/repos/users'
import { addOutOfScope, enterPhase } from '../report'
import { LINKS_PER_STEP, type ApplyDeps } from './context'

export async function reportOutOfScopeChunk(deps: ApplyDeps): Promise<void> {
  const { ctx, stage, run } = deps
  const links = stage.unstagedUserLinks(run.instanceId, run.id, run.after, LINKS_PER_STEP)
  const last = links.at(-1)
  if (!last) {
    enterPhase(run, 'done')
    return
  }
  // A link may outlive its user (deleted by the Delete parent, or by SCIM): only users left count.
  const users = new Map(
    (
      await usersByIds(
        ctx.db,
        ctx.tenantId,
        links.map(([, p]) => p)
      )
    ).map((u) => [u.id, u])
  )
  addOutOfScope(
    run,
    links.flatMap(([entraId, productId]) => {
      const user = users.get(productId)
      return user ? [{ entraId, userName: String(user.doc.userName) }] : []
    })
  )
  run.after = last[0]
}
