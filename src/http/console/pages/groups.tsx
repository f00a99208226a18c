/**
 * @module Groups (Apty's User Groups page): the groups the identity provider or the directory
 * sync provisioned, with their member users and the user agents that count as members, and the
 * role each grants (group-roles mode) or that each is a role (groups-as-roles mode). Searched as
 * you type by the start of the name, paged.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { groupsAreRoles, type RoleMode } from '../../../directory/effective-role'
import { listGroups, type GroupListRow } from '../../../storage/repos/group-list'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { queryOf } from '../forms'
import { Page } from '../layout'
import { PageQuery } from '../paging'
import { Empty } from './users'

const GroupsQuery = PageQuery.extend({
  q: z.string().trim().max(256, 'is longer than 256 characters').optional(),
})
type GroupsQuery = z.infer<typeof GroupsQuery>

/** Why the agent counts can be larger than the identity provider's member counts. */
export const AGENT_COUNT_NOTE =
  'Each user agent of a member counts as a member of its own, as the Okta guide says, so these counts can exceed the member counts your identity provider shows.'

function GroupRole(props: { group: GroupListRow; mode: RoleMode }) {
  const { group, mode } = props
  if (groupsAreRoles(mode)) return <ui.Badge tone="info">Is a role</ui.Badge>
  if (group.role === null) return <span class="muted">No role</span>
  return <>{group.role.name ?? 'A deleted role'}</>
}

function GroupRows(props: { groups: GroupListRow[]; mode: RoleMode }) {
  return (
    <ui.Table
      caption="Groups"
      captionHidden
      columns={['Name', { label: 'Users', num: true }, { label: 'User agents', num: true }, 'Role']}
    >
      {props.groups.map((g) => (
        <tr>
          <td>
            <a href={`/console/groups/${g.id}`}>{g.displayName}</a>
          </td>
          <td class="num">{String(g.userCount)}</td>
          <td class="num">{String(g.agentCount)}</td>
          <td>
            <GroupRole group={g} mode={props.mode} />
          </td>
        </tr>
      ))}
    </ui.Table>
  )
}

async function GroupResults(props: { c: ConsoleContext; q: GroupsQuery }) {
  const { session } = props.c.var
  const { q } = props
  const result = await listGroups(session.db, session.tenant.id, {
    limit: q.limit,
    cursor: q.cursor,
    q: q.q,
  })
  return (
    <div id="results" data-count={String(result.rows.length)}>
      {result.rows.length === 0 ? (
        <Empty filtered={Boolean(q.q || q.cursor)} what="groups" />
      ) : (
        <GroupRows groups={result.rows} mode={session.tenant.roleMode} />
      )}
      <ui.Pager
        base="/console/groups"
        query={{ limit: String(q.limit), ...(q.q ? { q: q.q } : {}) }}
        next={result.nextCursor}
      />
    </div>
  )
}

function GroupsPage(props: { c: ConsoleContext }) {
  const { c } = props
  const q = queryOf(c, GroupsQuery)
  const asRoles = groupsAreRoles(c.var.session.tenant.roleMode)
  return (
    <Page title="Groups" session={c.var.session} current="/console/groups">
      <ui.PageHead
        title="Groups"
        lede={
          asRoles
            ? 'Groups from your identity provider. In this tenant every group is a role: a member holds the role of the group they joined most recently.'
            : 'Groups from your identity provider, and the role each grants its members.'
        }
      />
      <p class="muted">{AGENT_COUNT_NOTE}</p>
      <form method="get" action="/console/groups" class="filters search-bar" role="search">
        <ui.SearchField value={q.q} hint="The start of the group's name" />
        <button type="submit">Search</button>
      </form>
      <GroupResults c={c} q={q} />
    </Page>
  )
}

export function groupsPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/groups', (c) => c.html(<GroupsPage c={c} />))
  return app
}
