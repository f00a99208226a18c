/**
 * @module One merge of a user's agents: whose, the agent kept (it holds the one license and group
 * membership), the agents merged into it, when, whether it still holds or how it ended (undone,
 * the kept agent linked to someone else, the user deleted), and the undo, which makes every
 * agent separate and licensed again.
 */
import { Hono } from 'hono'
import { getAgentMerge, type AgentMerge } from '../../../storage/repos/agent-merges'
import { getAgentsByIds } from '../../../storage/repos/agents'
import { userNames } from '../../../storage/repos/names'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { Page } from '../layout'
import { agentLabel } from './agent-table'

const NOTICES: Record<string, string> = {
  merged:
    'The agents are merged: the kept agent is now the only member and license for them. Undo the merge to make them separate again.',
  undone: 'The merge is undone: each agent is separate and licensed again.',
}

const END_REASONS: Record<NonNullable<AgentMerge['endReason']>, string> = {
  undo: 'Undone by an admin',
  relinked: 'Ended: the kept agent was linked to another user',
  'user-deleted': 'Ended: the user was deleted',
}

/** The merge named in the path, in the signed-in admin's tenant; a 404 page otherwise. */
async function mergeOf(c: ConsoleContext): Promise<AgentMerge> {
  const { db, tenant } = c.var.session
  const merge = await getAgentMerge(db, tenant.id, c.req.param('mergeId') ?? '')
  if (!merge) throw new ConsolePageError(404, 'There is no such agent merge.')
  return merge
}

async function MergePage(props: { c: ConsoleContext; merge: AgentMerge; error?: string }) {
  const { c, merge } = props
  const { session } = c.var
  const { db, tenant } = session
  const [agents, names] = await Promise.all([
    getAgentsByIds(db, tenant.id, [merge.intoAgentId, ...merge.agentIds]),
    userNames(db, tenant.id, [merge.userId]),
  ])
  const label = (id: string) => {
    const a = agents.find((x) => x.id === id)
    return a ? `${agentLabel(a)} (${id})` : id
  }
  const userName = names.get(merge.userId)
  const notice = NOTICES[c.req.query('done') ?? '']
  const inForce = merge.endedAt === null
  return (
    <Page title="Agent merge" session={session} current="/console/agents">
      <ui.PageHead
        title="Agent merge"
        lede="Agents of one user merged into one: the kept agent holds the license and is the user's only member in each of their groups."
        actions={
          inForce ? (
            <ui.Badge tone="ok">In force</ui.Badge>
          ) : (
            <ui.Badge tone="neutral">Ended</ui.Badge>
          )
        }
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      <section class="card" aria-labelledby="merge-facts">
        <h2 id="merge-facts">What was merged</h2>
        <dl class="facts">
          <dt>User</dt>
          <dd>
            {userName === undefined ? (
              <span class="mono">{merge.userId}</span>
            ) : (
              <a href={`/console/users/${encodeURIComponent(merge.userId)}`}>{userName}</a>
            )}
          </dd>
          <dt>Kept agent</dt>
          <dd>{label(merge.intoAgentId)}</dd>
          <dt>Merged into it</dt>
          <dd>
            <ul>
              {merge.agentIds.map((id) => (
                <li>{label(id)}</li>
              ))}
            </ul>
          </dd>
          <dt>Merged</dt>
          <dd>
            <ui.Time at={merge.createdAt} />
          </dd>
          <dt>State</dt>
          <dd>
            {inForce ? 'In force' : END_REASONS[merge.endReason ?? 'undo']}
            {merge.endedAt && (
              <>
                {' '}
                at <ui.Time at={merge.endedAt} />
              </>
            )}
          </dd>
        </dl>
      </section>
      {inForce && (
        <form
          method="post"
          action={`/console/agents/merges/${encodeURIComponent(merge.id)}/undo`}
          data-confirm="Undo this merge? Each agent becomes separate again: it holds a license and is a member of the user's groups on its own."
          data-confirm-action="Undo merge"
          class="row"
        >
          <ui.Csrf token={session.csrfToken} />
          <button type="submit" class="danger">
            Undo merge
          </button>
        </form>
      )}
      <p>
        <a href={`/console/agents?userId=${encodeURIComponent(merge.userId)}`}>
          Back to the user's agents
        </a>
      </p>
    </Page>
  )
}

export function agentMergePages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/agents/merges/:mergeId', async (c) =>
    c.html(<MergePage c={c} merge={await mergeOf(c)} />)
  )
  app.post('/agents/merges/:mergeId/undo', async (c) => {
    const merge = await mergeOf(c)
    const outcome = await sessionWriter(c).undoAgentMerge(adminEnvelope(c), merge.id)
    if (!outcome.ok)
      return c.html(<MergePage c={c} merge={merge} error={outcome.detail} />, outcome.status)
    return c.redirect(`/console/agents/merges/${encodeURIComponent(merge.id)}?done=undone`, 303)
  })
  return app
}
