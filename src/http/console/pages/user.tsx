/**
 * @module A user's page: the identifiers the identity provider sent (and that agents are linked
 * by), the state and what it means, the user agents and how each was linked, the groups, the
 * effective role and where it comes from, the Do Not Track entry (or a button to add one), and
 * the provisioning history (TrackTik's per-employee History tab).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../../scim/constants'
import { dntEntryOf, type DntRow } from '../../../storage/repos/dnt'
import { getUserDetail, type UserDetail } from '../../../storage/repos/user-detail'
import { getUser } from '../../../storage/repos/users'
import { unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { queryOf } from '../forms'
import { DNT_SOURCES } from '../labels'
import { Page } from '../layout'
import { PageQuery } from '../paging'
import { UserAgents } from './user-agents'
import { loadUserHistory, UserHistory } from './user-history'
import { RoleFacts } from './user-role'
import { StateBadge } from './users'

const NOTICES: Record<string, string> = {
  dnt: 'Added to the Do Not Track list: this user and their user agents are no longer tracked.',
}

const Email = z.object({
  value: z.string(),
  type: z.string().optional(),
  primary: z.boolean().optional(),
})
const Text = z.union([z.string(), z.number()]).transform(String)

/** The identifiers of the stored SCIM document, as the identity provider sent them. */
const Identifiers = z.object({
  userName: z.string(),
  externalId: Text.optional(),
  displayName: z.string().optional(),
  emails: z.array(Email).catch([]).optional(),
  [ENTERPRISE_USER_SCHEMA]: z.object({ employeeNumber: Text.optional() }).catch({}).optional(),
  [ACTIVTRAK_USER_SCHEMA]: z
    .object({
      userPrincipalNames: z
        .array(z.object({ value: z.string() }))
        .catch([])
        .optional(),
    })
    .catch({})
    .optional(),
})
type Identifiers = z.infer<typeof Identifiers>

function Listed(props: { values: string[] }) {
  if (props.values.length === 0) return <span class="muted">None</span>
  return (
    <ul class="plain">
      {props.values.map((v) => (
        <li>{v}</li>
      ))}
    </ul>
  )
}

function Emails(props: { emails: z.infer<typeof Email>[] }) {
  if (props.emails.length === 0) return <span class="muted">None</span>
  return (
    <ul class="plain">
      {props.emails.map((e) => (
        <li>
          {e.value} <ui.Badge tone="neutral">{e.type ?? 'no type'}</ui.Badge>
          {e.primary === true && <ui.Badge tone="info">primary</ui.Badge>}
        </li>
      ))}
    </ul>
  )
}

function IdentifierFacts(props: { ids: Identifiers }) {
  const { ids } = props
  return (
    <section class="card" aria-labelledby="ids-title">
      <h2 id="ids-title">Identifiers</h2>
      <dl class="facts">
        <dt>userName</dt>
        <dd>{ids.userName}</dd>
        <dt>externalId</dt>
        <dd>{ids.externalId ?? <span class="muted">None</span>}</dd>
        <dt>displayName</dt>
        <dd>{ids.displayName ?? <span class="muted">None</span>}</dd>
        <dt>Emails</dt>
        <dd>
          <Emails emails={ids.emails ?? []} />
        </dd>
        <dt>userPrincipalNames</dt>
        <dd>
          <Listed
            values={(ids[ACTIVTRAK_USER_SCHEMA]?.userPrincipalNames ?? []).map((u) => u.value)}
          />
        </dd>
        <dt>employeeNumber</dt>
        <dd>{ids[ENTERPRISE_USER_SCHEMA]?.employeeNumber ?? <span class="muted">None</span>}</dd>
      </dl>
    </section>
  )
}

function StateFacts(props: { active: boolean }) {
  return (
    <section class="card" aria-labelledby="state-title">
      <h2 id="state-title">State</h2>
      <p>
        <StateBadge active={props.active} />
      </p>
      <p class="muted">
        {props.active
          ? 'Provisioned and active. Entra ID suspends a user (its soft delete) and Okta deactivates one by setting active to false.'
          : 'Suspended by the identity provider (Entra ID’s soft delete, Okta’s deactivation): cannot sign in; data, groups and user agents are kept. Restoring the user there makes them active again.'}
      </p>
    </section>
  )
}

function DntFacts(props: { c: ConsoleContext; user: UserDetail; entry: DntRow | undefined }) {
  const { entry, user } = props
  return (
    <section class="card" aria-labelledby="dnt-title">
      <h2 id="dnt-title">Do Not Track</h2>
      {entry ? (
        <p>
          <ui.Badge tone="info">Do Not Track</ui.Badge> Since <ui.Time at={entry.createdAt} />,
          source: {DNT_SOURCES[entry.source]}. Only removing the entry on the{' '}
          <a href="/console/dnt">Do Not Track page</a> starts tracking again.
        </p>
      ) : (
        <form
          method="post"
          action={`/console/users/${user.id}/dnt`}
          data-confirm={`Add ${user.userName} to the Do Not Track list? Their user agents stop being tracked (they keep their licenses), and only removing the entry on the Do Not Track page undoes it.`}
          data-confirm-action="Add to Do Not Track"
        >
          <ui.Csrf token={props.c.var.session.csrfToken} />
          <p class="muted">Tracked. The identity provider can also set tracking to false.</p>
          <button type="submit">Add to Do Not Track</button>
        </form>
      )}
    </section>
  )
}

function Groups(props: { user: UserDetail }) {
  const { groups } = props.user
  return (
    <section class="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      {groups.length === 0 ? (
        <p class="muted">Not in any group.</p>
      ) : (
        <ul class="plain">
          {groups.map((g) => (
            <li>
              <a href={`/console/groups/${g.id}`}>{g.displayName ?? g.id}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The user named in the path, in the signed-in admin's tenant; 404 otherwise. */
async function userOf(c: ConsoleContext) {
  const { db, tenant } = c.var.session
  const id = c.req.param('userId') ?? ''
  const [user, stored, entry] = await Promise.all([
    getUserDetail(db, tenant.id, id),
    getUser(db, tenant.id, id),
    dntEntryOf(db, tenant.id, { userId: id }),
  ])
  if (!user || !stored) throw new ConsolePageError(404, 'There is no such user.')
  const ids = Identifiers.safeParse(stored.doc)
  return { user, entry, ids: ids.success ? ids.data : { userName: user.userName } }
}

async function UserPage(props: { c: ConsoleContext }) {
  const { c } = props
  const { session } = c.var
  const q = queryOf(c, PageQuery)
  const { user, entry, ids } = await userOf(c)
  const history = await loadUserHistory(session.db, session.tenant.id, user.id, q)
  const notice = NOTICES[c.req.query('done') ?? '']
  return (
    <Page title={user.displayName ?? user.userName} session={session} current="/console/users">
      <ui.PageHead
        title={user.displayName ?? user.userName}
        lede="What this service holds about this person: identifiers, state, user agents, groups, role, Do Not Track, and every change made to them."
        actions={<a href="/console/users">All users</a>}
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      <div class="grid2">
        <IdentifierFacts ids={ids} />
        <div>
          <StateFacts active={user.active} />
          <RoleFacts user={user} mode={session.tenant.roleMode} />
          <DntFacts c={c} user={user} entry={entry} />
        </div>
      </div>
      <UserAgents agents={user.agents} />
      <Groups user={user} />
      <UserHistory userId={user.id} history={history} limit={q.limit} />
    </Page>
  )
}

export function userPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/users/:userId', (c) => c.html(<UserPage c={c} />))
  app.post('/users/:userId/dnt', async (c) => {
    // The tenant's object looks the user up in the session's tenant only: another's id is a 404.
    const entry = unwrap(
      await sessionWriter(c).addDnt(adminEnvelope(c), {
        userId: c.req.param('userId'),
      })
    )
    return c.redirect(`/console/users/${entry.userId ?? ''}?done=dnt`, 303)
  })
  return app
}
