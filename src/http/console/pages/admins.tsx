/**
 * @module The Admins page: who can sign in to this tenant's console. Everyone sees the list;
 * owners invite admins (the one-time link is shown once, to be sent to the invitee), send a new
 * link, change roles and remove admins. The tenant always keeps an owner.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { ADMIN_ROLES, InviteSchema } from '../../../domain/admins'
import { randomSecret } from '../../../lib/secrets'
import { listAdmins, openInvitations, type AdminRow } from '../../../storage/repos/admins'
import { unwrap } from '../../../tenant-do/client'
import { invitationUrl, publicOrigin } from '../../public-url'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { formOf } from '../forms'
import { Page } from '../layout'

const NOTICES: Record<string, string> = {
  role: 'The role is changed.',
  removed: 'The admin is removed and signed out everywhere.',
}

function requireOwner(c: ConsoleContext): void {
  if (c.var.session.admin.role !== 'owner')
    throw new ConsolePageError(403, 'Only owners manage admins. Ask an owner of your organization.')
}

function AdminRows(props: { admins: AdminRow[]; invited: Set<string>; c: ConsoleContext }) {
  const { session } = props.c.var
  const owner = session.admin.role === 'owner'
  return (
    <div class="table-wrap">
      <table>
        <caption>Admins of {session.tenant.name}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Last sign-in</th>
            {owner && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {props.admins.map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>{a.email}</td>
              <td>{a.role}</td>
              <td>
                {a.passwordHash !== null ? (
                  <ui.Badge tone="ok">Active</ui.Badge>
                ) : props.invited.has(a.id) ? (
                  <ui.Badge tone="info">Invited</ui.Badge>
                ) : (
                  <ui.Badge tone="warn">Invitation expired</ui.Badge>
                )}
              </td>
              <ui.TimeCell at={a.lastSignInAt} />
              {owner && (
                <td>
                  <div class="row">
                    <form method="post" action={`/console/admins/${a.id}/role`} class="row">
                      <ui.Csrf token={session.csrfToken} />
                      <label class="sr-only" for={`role-${a.id}`}>
                        Role of {a.email}
                      </label>
                      <select id={`role-${a.id}`} name="role">
                        {ADMIN_ROLES.map((r) => (
                          <option value={r} selected={r === a.role}>
                            {r}
                          </option>
                        ))}
                      </select>
                      <button type="submit">Change role</button>
                    </form>
                    <form method="post" action={`/console/admins/${a.id}/reinvite`}>
                      <ui.Csrf token={session.csrfToken} />
                      <button type="submit" aria-label={`New invitation link for ${a.email}`}>
                        New link
                      </button>
                    </form>
                    <ui.ConfirmedAction
                      action={`/console/admins/${a.id}/remove`}
                      question={`Remove ${a.email}? They are signed out at once.`}
                      confirm="Remove"
                      csrfToken={session.csrfToken}
                      label="Remove"
                      ariaLabel={`Remove ${a.email}`}
                      danger
                    />
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

async function AdminsPage(props: {
  c: ConsoleContext
  link?: { email: string; url: string; expiresAt: string }
  error?: string | undefined
  status?: string | undefined
}) {
  const { c } = props
  const { session } = c.var
  const [admins, open] = await Promise.all([
    listAdmins(session.db, session.tenant.id),
    openInvitations(session.db, session.tenant.id),
  ])
  const now = new Date().toISOString()
  const invited = new Set(open.filter((i) => i.expiresAt > now).map((i) => i.adminId))
  return (
    <Page title="Admins" session={session} current="/console/admins">
      <ui.PageHead
        title="Admins"
        lede="People who can sign in to this console. Owners also manage the other admins."
      />
      {props.status && <ui.Notice tone="ok">{props.status}</ui.Notice>}
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      {props.link && (
        <section class="card" aria-labelledby="link-title">
          <h2 id="link-title">Invitation link for {props.link.email}</h2>
          <ui.Notice tone="warn">
            Send this link to {props.link.email}. It is shown only now, works once, and expires at{' '}
            <ui.Time at={props.link.expiresAt} />.
          </ui.Notice>
          <ui.SecretBox id="invitation-link" label="Invitation link" value={props.link.url} />
        </section>
      )}
      <AdminRows admins={admins} invited={invited} c={c} />
      {session.admin.role === 'owner' && (
        <section class="card" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite an admin</h2>
          <form method="post" action="/console/admins">
            <ui.Csrf token={session.csrfToken} />
            <ui.Field name="name" label="Name" required maxlength={200} />
            <ui.Field name="email" label="Email" type="email" required maxlength={320} />
            <div class="field">
              <label for="f-role">Role</label>
              <select id="f-role" name="role">
                <option value="admin">admin</option>
                <option value="owner">owner</option>
              </select>
            </div>
            <ui.Submit>Invite</ui.Submit>
          </form>
        </section>
      )}
    </Page>
  )
}

const RoleForm = z.object({ role: z.enum(ADMIN_ROLES) })

export function adminsPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  const link = async (
    c: ConsoleContext,
    invite: (hash: string) => Promise<{ admin: AdminRow; expiresAt: string }>
  ) => {
    const { secret, hash } = await randomSecret()
    const { admin, expiresAt } = await invite(hash)
    const { tenant } = c.var.session
    const url = invitationUrl(publicOrigin(c.env, tenant.region, c.req.url), tenant.id, secret)
    return { email: admin.email, url, expiresAt }
  }

  app.get('/admins', (c) =>
    c.html(<AdminsPage c={c} status={NOTICES[c.req.query('done') ?? '']} />)
  )

  app.post('/admins', async (c) => {
    requireOwner(c)
    const parsed = InviteSchema.safeParse(await c.req.parseBody())
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return c.html(
        <AdminsPage
          c={c}
          error={`${issue?.path.join('.') ?? 'form'}: ${issue?.message ?? 'invalid'}`}
        />,
        400
      )
    }
    const writer = sessionWriter(c)
    const shown = await link(c, async (tokenHash) =>
      unwrap(await writer.inviteAdmin(adminEnvelope(c), parsed.data, { tokenHash }))
    )
    return c.html(<AdminsPage c={c} link={shown} status={`${shown.email} is invited.`} />, 201)
  })

  app.post('/admins/:adminId/reinvite', async (c) => {
    requireOwner(c)
    const writer = sessionWriter(c)
    const shown = await link(c, async (tokenHash) =>
      unwrap(await writer.reinviteAdmin(adminEnvelope(c), c.req.param('adminId'), { tokenHash }))
    )
    return c.html(<AdminsPage c={c} link={shown} />)
  })

  app.post('/admins/:adminId/role', async (c) => {
    requireOwner(c)
    const { role } = await formOf(c, RoleForm)
    unwrap(await sessionWriter(c).changeAdminRole(adminEnvelope(c), c.req.param('adminId'), role))
    return c.redirect('/console/admins?done=role', 303)
  })

  app.post('/admins/:adminId/remove', async (c) => {
    requireOwner(c)
    unwrap(await sessionWriter(c).removeAdmin(adminEnvelope(c), c.req.param('adminId')))
    return c.redirect('/console/admins?done=removed', 303)
  })

  return app
}
