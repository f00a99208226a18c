/**
 * @module The signed-in admin's own account: who they are, and their password (a change signs
 * them out everywhere, this browser included).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  passwordProblem,
  verifyPassword,
} from '../../../lib/password'
import { tenantWriter, unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import { adminEnvelope, type ConsoleContext, type ConsoleHonoTypes } from '../context'
import { formOf } from '../forms'
import { Page } from '../layout'
import { clearSessionCookie } from '../session'
import { PasswordForm } from './auth'

const ChangePasswordForm = PasswordForm.extend({ current: z.string().max(MAX_PASSWORD_LENGTH * 4) })

function AccountPage(props: { c: ConsoleContext; error?: string }) {
  const { session } = props.c.var
  return (
    <Page title="Your account" session={session} current="/console/account">
      <ui.PageHead title="Your account" lede="Your sign-in to this console." />
      <section class="card" aria-labelledby="profile">
        <h2 id="profile">Profile</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>{session.admin.name}</dd>
          <dt>Email</dt>
          <dd>{session.admin.email}</dd>
          <dt>Role</dt>
          <dd>{session.admin.role}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="pw">
        <h2 id="pw">Change password</h2>
        <p class="muted">Changing your password signs you out everywhere, this browser included.</p>
        {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
        <form method="post" action="/console/account/password">
          <ui.Csrf token={session.csrfToken} />
          <ui.AccountName email={session.admin.email} />
          <ui.Field
            name="current"
            label="Current password"
            type="password"
            autocomplete="current-password"
            required
          />
          <ui.NewPasswordFields repeatLabel="Repeat the new password" />
          <ui.Submit>Change password</ui.Submit>
        </form>
      </section>
    </Page>
  )
}

/** The signed-in admin's own account: profile and password. */
export function accountPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/account', (c) => c.html(<AccountPage c={c} />))
  app.post('/account/password', async (c) => {
    const { admin, tenant } = c.var.session
    const form = await formOf(c, ChangePasswordForm)
    const current = await verifyPassword(form.current, admin.passwordHash ?? '')
    const problem = !current
      ? 'The current password is not correct'
      : form.password !== form.confirm
        ? 'The two new passwords differ'
        : passwordProblem(form.password, admin.email)
    if (problem) return c.html(<AccountPage c={c} error={problem} />, 400)
    unwrap(
      await tenantWriter(c.env, tenant.id).changePassword(
        adminEnvelope(c),
        admin.id,
        await hashPassword(form.password)
      )
    )
    clearSessionCookie(c)
    return c.redirect('/console/login?notice=password-changed', 303)
  })
  return app
}
