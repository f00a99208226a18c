/**
 * @module User agents (ActivTrak's Settings > Users & Groups > User Agents): every identity the
 * desktop agent reports, with its link state and the rule that linked it, its user, whether it
 * holds a license (a Do Not Track agent still does) and when it was last seen; filtered by link
 * state or by user, paged, under the tenant's license counts. From one user's agents an admin
 * merges several into one (the Okta guide: a user with several agents otherwise counts once per
 * agent in every group); merges are shown and undone on their own page (agent-merges.tsx).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { MAX_AGENTS_PER_MERGE } from '../../../directory/merging'
import {
  licenseCounts,
  listAgents,
  type AgentView,
  type LicenseCounts,
} from '../../../storage/repos/agent-views'
import { userNames } from '../../../storage/repos/names'
import { usersByUserNames } from '../../../storage/repos/users'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { formOfAll, queryOf } from '../forms'
import { Page } from '../layout'
import { page } from '../paging'
import { AgentCursor, IdField, optionalField } from '../query-fields'
import { AgentTable, agentLabel, LINK_STATES } from './agent-table'
import { agentMergePages } from './agent-merges'

const AgentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: optionalField(AgentCursor),
  state: optionalField(z.enum(LINK_STATES.map((s) => s.value))),
  userId: optionalField(IdField),
  /** A userName typed in the filter: resolved to the user's id. */
  user: optionalField(z.string().trim().max(1024)),
})

type AgentsFilter = z.infer<typeof AgentsQuery>

interface ShownUser {
  id: string
  userName: string
}

const MergeForm = z.object({
  userId: IdField,
  into: optionalField(AgentCursor),
  agentIds: z.preprocess(
    (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(AgentCursor).max(MAX_AGENTS_PER_MERGE, `select at most ${String(MAX_AGENTS_PER_MERGE)}`)
  ),
})

const count = (n: number): string => n.toLocaleString('en-US')

function LicenseSummary(props: { counts: LicenseCounts }) {
  const { counts } = props
  const tiles: [string, number, string][] = [
    [
      'Licensed',
      counts.licensed,
      `${count(counts.licensedDoNotTrack)} of them on Do Not Track: not tracked, still licensed`,
    ],
    ['Linked to a user', counts.linked, 'licensed and matched to a user'],
    ['Not linked', counts.unlinked, 'licensed, no user matches them yet'],
    ['Merged', counts.merged, 'share the license of the agent they were merged into'],
    ['Removed', counts.removed, 'their user was deleted: no license'],
  ]
  return (
    <section class="card" aria-labelledby="licenses-title">
      <h2 id="licenses-title">Licenses</h2>
      <dl class="stats">
        {tiles.map(([label, n, hint]) => (
          <div>
            <dt>{label}</dt>
            <dd>
              {count(n)}
              <small>{hint}</small>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

function Filters(props: { filter: AgentsFilter; user: ShownUser | undefined }) {
  return (
    <form method="get" action="/console/agents" class="filters">
      <div class="field">
        <label for="f-state">Link state</label>
        <select id="f-state" name="state">
          <option value="">All</option>
          {LINK_STATES.map((s) => (
            <option value={s.value} selected={props.filter.state === s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <ui.Field
        name="user"
        label="User (userName)"
        type="search"
        maxlength={1024}
        value={props.user?.userName ?? props.filter.user}
      />
      <button type="submit">Show</button>
    </form>
  )
}

/** The user the list is filtered by: typed as a userName, or named by id in a link. */
async function shownUser(
  c: ConsoleContext,
  filter: AgentsFilter
): Promise<{ user?: ShownUser; missing?: string }> {
  const { db, tenant } = c.var.session
  if (filter.user !== undefined) {
    const [found] = await usersByUserNames(db, tenant.id, [filter.user])
    const userName = found?.doc.userName
    if (!found || typeof userName !== 'string')
      return { missing: `No user has the userName "${filter.user}".` }
    return { user: { id: found.id, userName } }
  }
  if (filter.userId === undefined) return {}
  const name = (await userNames(db, tenant.id, [filter.userId])).get(filter.userId)
  if (name === undefined) throw new ConsolePageError(404, 'There is no such user.')
  return { user: { id: filter.userId, userName: name } }
}

function MergeControls(props: { user: ShownUser; agents: AgentView[] }) {
  const linked = props.agents.filter((a) => a.linkState === 'linked')
  return (
    <section class="card" aria-labelledby="merge-title">
      <h2 id="merge-title">Merge agents of {props.user.userName}</h2>
      <p class="hint">
        Each agent of a user is a member of the user's groups on its own and holds a license. Select
        two or more agents above to merge them into one: it keeps the license and the group
        membership. You can undo a merge.
      </p>
      <div class="field">
        <label for="f-into">Keep this agent</label>
        <select id="f-into" name="into">
          {linked.map((a) => (
            <option value={a.id}>{`${agentLabel(a)} (${a.id})`}</option>
          ))}
        </select>
      </div>
      <ui.Submit>Merge selected agents</ui.Submit>
    </section>
  )
}

interface AgentsPageProps {
  c: ConsoleContext
  filter: AgentsFilter
  error?: string | undefined
}

/** One page of agents as filtered, the license counts, and the names of the linked users. */
async function loadAgents(c: ConsoleContext, filter: AgentsFilter) {
  const { db, tenant } = c.var.session
  const { user, missing } = await shownUser(c, filter)
  const [counts, agents] = await Promise.all([
    licenseCounts(db, tenant.id),
    missing
      ? Promise.resolve([])
      : listAgents(db, tenant.id, {
          limit: filter.limit,
          ...(filter.cursor ? { after: filter.cursor } : {}),
          ...(filter.state ? { state: filter.state } : {}),
          ...(user ? { userId: user.id } : {}),
        }),
  ])
  const linkedUsers = agents.flatMap((a) => (a.userId === null ? [] : [a.userId]))
  const names = await userNames(db, tenant.id, linkedUsers)
  return { user, missing, counts, agents, names }
}

async function AgentsPage(props: AgentsPageProps) {
  const { c, filter } = props
  const { session } = c.var
  const { user, missing, counts, agents, names } = await loadAgents(c, filter)
  const mergeable = user !== undefined && agents.filter((a) => a.linkState === 'linked').length > 1
  const table = <AgentTable agents={agents} names={names} selectable={mergeable} />
  const query: Record<string, string> = {
    ...(filter.state ? { state: filter.state } : {}),
    ...(user ? { userId: user.id } : {}),
  }
  return (
    <Page title="User agents" session={session} current="/console/agents">
      <ui.PageHead
        title="User agents"
        lede="The identities the desktop agent reports, the user each is linked to and by which rule, and which of them hold a license."
      />
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      <LicenseSummary counts={counts} />
      <Filters filter={filter} user={user} />
      {missing && <ui.Notice tone="warn">{missing}</ui.Notice>}
      {user && (
        <p>
          Agents of <a href={`/console/users/${encodeURIComponent(user.id)}`}>{user.userName}</a>
          {' · '}
          <a href="/console/agents">Show every agent</a>
        </p>
      )}
      {user !== undefined && mergeable ? (
        <form method="post" action="/console/agents/merge">
          <ui.Csrf token={session.csrfToken} />
          <input type="hidden" name="userId" value={user.id} />
          {table}
          <MergeControls user={user} agents={agents} />
        </form>
      ) : (
        table
      )}
      <ui.Pager
        base="/console/agents"
        query={query}
        next={page(agents, filter.limit, (a) => a.id)}
      />
    </Page>
  )
}

export function agentsPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/agents', (c) => c.html(<AgentsPage c={c} filter={queryOf(c, AgentsQuery)} />))

  app.post('/agents/merge', async (c) => {
    const { userId, into, agentIds } = await formOfAll(c, MergeForm)
    const filter: AgentsFilter = { limit: 50, userId }
    // Looks the user up in the session's tenant first: another tenant's user is a 404 page.
    await shownUser(c, filter)
    const outcome = await sessionWriter(c).mergeAgents(adminEnvelope(c), {
      into: into ?? agentIds[0] ?? '',
      agentIds,
      userId,
    })
    if (!outcome.ok)
      return c.html(<AgentsPage c={c} filter={filter} error={outcome.detail} />, outcome.status)
    return c.redirect(`/console/agents/merges/${outcome.value.id}?done=merged`, 303)
  })

  app.route('/', agentMergePages())
  return app
}
