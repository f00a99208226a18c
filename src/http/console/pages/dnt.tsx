/**
 * @module The Do Not Track list (ActivTrak's Settings > Users & Groups > Do Not Track): who is on
 * it and why (the tracking attribute, the Entra ID Do Not Track group, a deletion, or added by
 * hand), adding a user by userName, and removal behind a confirmation that says it is the only
 * way off the list.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { listDnt, type DntRow } from '../../../storage/repos/dnt'
import { usersByUserNames } from '../../../storage/repos/users'
import { tenantWriter, unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { formOf, queryOf } from '../forms'
import { DNT_SOURCES } from '../labels'
import { Page } from '../layout'
import { page, PageQuery } from '../paging'

const NOTICES: Record<string, string> = {
  added: 'Added to the Do Not Track list.',
  removed: 'Removed from the Do Not Track list.',
}

const AddForm = z.object({ userName: z.string().trim().min(1, 'is required').max(1024) })

function DntTable(props: { c: ConsoleContext; entries: DntRow[] }) {
  const { csrfToken } = props.c.var.session
  if (props.entries.length === 0)
    return <p class="card empty">Nobody is on the Do Not Track list.</p>
  return (
    <ui.Table
      caption="Do Not Track entries"
      captionHidden
      columns={['Who', 'Kind', 'Why', 'Added']}
      actions
    >
      {props.entries.map((e) => (
        <tr>
          <td>{e.userId ? <a href={`/console/users/${e.userId}`}>{e.label}</a> : e.label}</td>
          <td>{e.agentId ? 'User agent' : 'User'}</td>
          <td>
            <ui.Badge tone="neutral">{DNT_SOURCES[e.source]}</ui.Badge>
          </td>
          <ui.TimeCell at={e.createdAt} />
          <td>
            <ui.ConfirmedAction
              action={`/console/dnt/${e.id}/remove`}
              question={`Remove ${e.label} from the Do Not Track list? This is the only way off the list: the identity provider never removes an entry, and tracking starts again.`}
              confirm="Remove from the list"
              csrfToken={csrfToken}
              label="Remove"
              ariaLabel={`Remove ${e.label} from the list`}
              danger
            />
          </td>
        </tr>
      ))}
    </ui.Table>
  )
}

async function DntPage(props: { c: ConsoleContext; error?: string | undefined }) {
  const { c } = props
  const { session } = c.var
  const q = queryOf(c, PageQuery)
  const entries = await listDnt(session.db, session.tenant.id, {
    limit: q.limit,
    ...(q.cursor ? { after: q.cursor } : {}),
  })
  const notice = NOTICES[c.req.query('done') ?? '']
  return (
    <Page title="Do Not Track" session={session} current="/console/dnt">
      <ui.PageHead
        title="Do Not Track"
        lede="People and user agents on this list are not tracked. Their history is kept and their agents still hold a license. The identity provider and the directory sync only ever add entries: removing one here is the only way off the list."
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a user</h2>
        <form method="post" action="/console/dnt" class="filters">
          <ui.Csrf token={session.csrfToken} />
          <ui.Field name="userName" label="userName of the user" required maxlength={1024} />
          <ui.Submit>Add to the list</ui.Submit>
        </form>
      </section>
      <DntTable c={c} entries={entries} />
      <ui.Pager base="/console/dnt" query={{}} next={page(entries, q.limit, (e) => e.id)} />
    </Page>
  )
}

export function dntPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/dnt', (c) => c.html(<DntPage c={c} />))
  app.post('/dnt', async (c) => {
    const { userName } = await formOf(c, AddForm)
    const { db, tenant } = c.var.session
    const [user] = await usersByUserNames(db, tenant.id, [userName])
    if (!user)
      return c.html(<DntPage c={c} error={`No user has the userName "${userName}".`} />, 404)
    unwrap(await tenantWriter(c.env, tenant.id).addDnt(adminEnvelope(c), { userId: user.id }))
    return c.redirect('/console/dnt?done=added', 303)
  })
  app.post('/dnt/:entryId/remove', async (c) => {
    unwrap(await sessionWriter(c).removeDnt(adminEnvelope(c), c.req.param('entryId')))
    return c.redirect('/console/dnt?done=removed', 303)
  })
  return app
}
