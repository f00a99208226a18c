/**
 * @module Sign-in, sign-out and invitation acceptance: the pages a person sees before and at the
 * edges of their session.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { adminActor } from '../../../domain/write-context'
import { regionOfTenant } from '../../../model/tenant'
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem } from '../../../lib/password'
import { logEvent } from '../../../lib/log'
import { sha256Hex } from '../../../lib/secrets'
import { regionDb } from '../../../storage/db'
import { getAdmin, invitationByHash } from '../../../storage/repos/admins'
import { getTenant } from '../../../storage/repos/tenants'
import { tenantWriter, unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, clientAddress } from '../context'
import { ConsolePageError } from '../errors'
import { envelope } from '../../envelope'
import { formOf } from '../forms'
import { BarePage } from '../layout'
import { formToken, sameOrigin } from '../security'
import { clearSessionCookie, requireSession, setSessionCookie } from '../session'
import { signIn } from '../sign-in'

const NOTICES: Record<string, string> = {
  'password-set': 'Your password is set. Sign in with it now.',
  'password-changed': 'Your password is changed and every session was signed out. Sign in again.',
  'signed-out': 'You are signed out.',
}

/** Only a path inside the console, never another site (an open redirect). */
const safeNext = (next: string | undefined): string =>
  next && /^\/console(\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/console/integrations'

const LoginForm = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
  next: z.string().max(2000).optional(),
})

function LoginPage(props: {
  error?: string | undefined
  notice?: string | undefined
  next: string
  email?: string | undefined
}) {
  return (
    <BarePage title="Sign in">
      <div class="card">
        <h1>Sign in</h1>
        <p class="muted">The provisioning console of your organization.</p>
        {props.notice && <ui.Notice tone="ok">{props.notice}</ui.Notice>}
        {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
        <form method="post" action="/console/login">
          <input type="hidden" name="next" value={props.next} />
          <ui.Field
            name="email"
            label="Email"
            type="email"
            autocomplete="username"
            value={props.email}
            required
          />
          <ui.Field
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <ui.Submit>Sign in</ui.Submit>
        </form>
      </div>
    </BarePage>
  )
}

function invitationParts(token: string): { tenantId: string; secret: string } | undefined {
  const dot = token.indexOf('.')
  const tenantId = token.slice(0, dot)
  const secret = token.slice(dot + 1)
  return dot > 0 && regionOfTenant(tenantId) && /^[A-Za-z0-9_-]{43}$/.test(secret)
    ? { tenantId, secret }
    : undefined
}

/** The open invitation a link names, with its admin and tenant; a page error otherwise. */
async function openInvitation(c: ConsoleContext, token: string) {
  const parts = invitationParts(token)
  const region = parts && regionOfTenant(parts.tenantId)
  const gone = new ConsolePageError(
    404,
    'This invitation link has expired or was already used. Ask an owner of your organization for a new one.'
  )
  if (!parts || !region) throw gone
  const db = regionDb(c.env, region)
  const tokenHash = await sha256Hex(parts.secret)
  const invitation = await invitationByHash(db, parts.tenantId, tokenHash)
  if (!invitation || invitation.usedAt !== null || Date.parse(invitation.expiresAt) <= Date.now())
    throw gone
  const [admin, tenant] = await Promise.all([
    getAdmin(db, parts.tenantId, invitation.adminId),
    getTenant(db, parts.tenantId),
  ])
  if (!admin || !tenant) throw gone
  return { admin, tenant, tokenHash }
}

function InvitePage(props: {
  email: string
  name: string
  tenant: string
  token: string
  error?: string
}) {
  return (
    <BarePage title="Set your password">
      <div class="card">
        <h1>Welcome, {props.name}</h1>
        <p class="muted">
          Set a password for {props.email} to administer {props.tenant}.
        </p>
        {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
        <form method="post" action={`/console/invite/${props.token}`}>
          <ui.AccountName email={props.email} />
          <ui.NewPasswordFields repeatLabel="Repeat the password" />
          <ui.Submit>Set password</ui.Submit>
        </form>
      </div>
    </BarePage>
  )
}

export const PasswordForm = z.object({
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
  confirm: z.string().max(MAX_PASSWORD_LENGTH * 4),
})

export function authPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()

  app.get('/login', (c) =>
    c.html(
      <LoginPage
        next={safeNext(c.req.query('next'))}
        notice={NOTICES[c.req.query('notice') ?? '']}
      />
    )
  )

  app.post('/login', sameOrigin, async (c) => {
    const form = await formOf(c, LoginForm)
    const next = safeNext(form.next)
    const result = await signIn(
      c.env,
      {
        email: form.email,
        password: form.password,
        address: clientAddress(c),
        userAgent: c.req.header('User-Agent') ?? null,
      },
      c.var.requestId
    )
    if (result.ok) {
      await setSessionCookie(c, result.admin.tenantId, result.secret)
      return c.redirect(next, 303)
    }
    logEvent('warn', {
      event: 'console.signin_failed',
      requestId: c.var.requestId,
      reason: result.reason,
    })
    if (result.reason === 'locked') {
      c.header('Retry-After', String(result.retryAfterS))
      const minutes = Math.ceil(result.retryAfterS / 60)
      return c.html(
        <LoginPage
          next={next}
          email={form.email}
          error={`Too many failed sign-ins. Try again in ${String(minutes)} minute(s).`}
        />,
        429
      )
    }
    return c.html(
      <LoginPage next={next} email={form.email} error="The email or password is not correct." />,
      401
    )
  })

  app.get('/invite/:token', async (c) => {
    const { admin, tenant } = await openInvitation(c, c.req.param('token'))
    return c.html(
      <InvitePage
        email={admin.email}
        name={admin.name}
        tenant={tenant.name}
        token={c.req.param('token')}
      />
    )
  })

  app.post('/invite/:token', sameOrigin, async (c) => {
    const token = c.req.param('token')
    const { admin, tenant, tokenHash } = await openInvitation(c, token)
    const form = await formOf(c, PasswordForm)
    const problem =
      form.password !== form.confirm
        ? 'The two passwords differ'
        : passwordProblem(form.password, admin.email)
    if (problem)
      return c.html(
        <InvitePage
          email={admin.email}
          name={admin.name}
          tenant={tenant.name}
          token={token}
          error={problem}
        />,
        400
      )
    unwrap(
      await tenantWriter(c.env, tenant.id).acceptInvitation(
        envelope(c.var.requestId, tenant.id, adminActor(admin)),
        tokenHash,
        await hashPassword(form.password)
      )
    )
    return c.redirect('/console/login?notice=password-set', 303)
  })

  app.post('/logout', sameOrigin, requireSession, formToken, async (c) => {
    const { admin, tenant, idHash } = c.var.session
    unwrap(await tenantWriter(c.env, tenant.id).signOut(adminEnvelope(c), admin.id, idHash))
    clearSessionCookie(c)
    return c.redirect('/console/login?notice=signed-out', 303)
  })

  return app
}
