/**
 * @module Users (TrackTik's Employees list with "Type to filter", ActivTrak's Users): everyone
 * the identity provider or the directory sync provisioned, searched as you type by the start of
 * a name, userName, email or employee id, filtered by state, paged. Deleted users are no longer
 * in the directory: under "Deleted" the page lists their deletion records instead.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { listDeletions, type DeletionRow } from '../../../storage/repos/deletions'
import { listUsers, type UserListRow, type UserRoleView } from '../../../storage/repos/user-list'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { queryOf } from '../forms'
import { Page } from '../layout'
import { page, PageQuery } from '../paging'
import { optionalField } from '../query-fields'
import { DeletionState, userNameOf } from './deletions'

const STATES = ['active', 'suspended', 'deleted'] as const
type StateFilter = (typeof STATES)[number]

const STATE_LABELS: Record<StateFilter, string> = {
  active: 'Active',
  suspended: 'Suspended',
  deleted: 'Deleted',
}

const UsersQuery = PageQuery.extend({
  q: z.string().trim().max(256, 'is longer than 256 characters').optional(),
  state: optionalField(z.enum(STATES)),
})
type UsersQuery = z.infer<typeof UsersQuery>

/** The role a user holds, as text; a role deleted since has no name. */
export function roleText(role: UserRoleView | null): string {
  if (role === null) return 'No role'
  return role.name ?? 'A deleted role'
}

export function StateBadge(props: { active: boolean }) {
  return props.active ? (
    <ui.Badge tone="ok">Active</ui.Badge>
  ) : (
    <ui.Badge tone="warn">Suspended</ui.Badge>
  )
}

export function DntBadge(props: { on: boolean }) {
  return props.on ? (
    <ui.Badge tone="info">Do Not Track</ui.Badge>
  ) : (
    <span class="muted">Tracked</span>
  )
}

/** An address that may wrap after its `@` in a narrow column, never inside a word. */
function Address(props: { value: string | null }) {
  if (props.value === null) return null
  const at = props.value.indexOf('@')
  if (at < 0) return <>{props.value}</>
  return (
    <>
      {props.value.slice(0, at + 1)}
      <wbr />
      {props.value.slice(at + 1)}
    </>
  )
}

function UserRows(props: { users: UserListRow[] }) {
  return (
    <div class="table-wrap">
      <table class="dense">
        <ui.TableHead
          caption="Users"
          captionHidden
          columns={[
            'Name',
            'userName',
            'Email',
            'Employee id',
            'State',
            { label: 'Agents', num: true },
            'Do Not Track',
            'Role',
          ]}
        />
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>
                <a href={`/console/users/${u.id}`}>{u.displayName ?? u.userName}</a>
              </td>
              <td>
                <Address value={u.userName} />
              </td>
              <td>
                <Address value={u.primaryEmail} />
              </td>
              <td>{u.employeeNumber ?? ''}</td>
              <td>
                <StateBadge active={u.active} />
              </td>
              <td class="num">{String(u.agentCount)}</td>
              <td>
                <DntBadge on={u.doNotTrack} />
              </td>
              <td>{roleText(u.role)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DeletedRows(props: { items: DeletionRow[] }) {
  return (
    <ui.Table caption="Deleted users" captionHidden columns={['userName', 'Requested', 'Deletion']}>
      {props.items.map((d) => (
        <tr>
          <td>{userNameOf(d)}</td>
          <ui.TimeCell at={d.requestedAt} />
          <td>
            <DeletionState status={d.status} />
          </td>
        </tr>
      ))}
    </ui.Table>
  )
}

/** The pager's query: the same search, filter and page size, without the cursor. */
const keptQuery = (q: UsersQuery): Record<string, string> => ({
  limit: String(q.limit),
  ...(q.q ? { q: q.q } : {}),
  ...(q.state ? { state: q.state } : {}),
})

async function DeletedResults(props: { c: ConsoleContext; q: UsersQuery }) {
  const { session } = props.c.var
  const { q } = props
  const items = await listDeletions(session.db, session.tenant.id, {
    limit: q.limit,
    ...(q.cursor ? { before: q.cursor } : {}),
  })
  return (
    <div id="results" data-count={String(items.length)}>
      <p class="muted">
        Deleted users are no longer in the directory; these are their deletion records, newest
        first.{q.q ? ' The search does not apply to them.' : ''} The{' '}
        <a href="/console/deletions">Deletions page</a> shows what was purged and verified.
      </p>
      {items.length === 0 ? (
        <p class="card empty">No user has been deleted.</p>
      ) : (
        <DeletedRows items={items} />
      )}
      <ui.Pager
        base="/console/users"
        query={keptQuery(q)}
        next={page(items, q.limit, (d) => d.id)}
      />
    </div>
  )
}

/** An empty list: nothing matches, or nothing has been provisioned yet and what to do. */
export function Empty(props: { filtered: boolean; what: 'users' | 'groups' }) {
  if (props.filtered) return <p class="card empty">No {props.what} match.</p>
  return (
    <div class="card empty">
      <p>No {props.what} yet. They arrive from your identity provider or the directory sync.</p>
      <p>
        <a href="/console/integrations">Connect an identity provider on the Integrations page</a>.
      </p>
    </div>
  )
}

async function UserResults(props: { c: ConsoleContext; q: UsersQuery }) {
  const { session } = props.c.var
  const { q } = props
  if (q.state === 'deleted') return <DeletedResults c={props.c} q={q} />
  const result = await listUsers(session.db, session.tenant.id, {
    limit: q.limit,
    cursor: q.cursor,
    q: q.q,
    state: q.state,
  })
  const filtered = Boolean(q.q || q.state || q.cursor)
  return (
    <div id="results" data-count={String(result.rows.length)}>
      {result.rows.length === 0 ? (
        <Empty filtered={filtered} what="users" />
      ) : (
        <UserRows users={result.rows} />
      )}
      <ui.Pager base="/console/users" query={keptQuery(q)} next={result.nextCursor} />
    </div>
  )
}

function SearchForm(props: { q: UsersQuery }) {
  return (
    <form method="get" action="/console/users" class="filters search-bar" role="search">
      <ui.SearchField
        value={props.q.q}
        hint="The start of a name, userName, email or employee id"
      />
      <div class="field">
        <label for="f-state">State</label>
        <select id="f-state" name="state">
          <option value="">Active and suspended</option>
          {STATES.map((s) => (
            <option value={s} selected={props.q.state === s}>
              {STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Search</button>
    </form>
  )
}

function UsersPage(props: { c: ConsoleContext }) {
  const { c } = props
  const q = queryOf(c, UsersQuery)
  return (
    <Page title="Users" session={c.var.session} current="/console/users">
      <ui.PageHead
        title="Users"
        lede="Everyone your identity provider or the directory sync has provisioned: their state, user agents, Do Not Track and role."
      />
      <SearchForm q={q} />
      <UserResults c={c} q={q} />
    </Page>
  )
}

export function usersPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/users', (c) => c.html(<UsersPage c={c} />))
  return app
}
