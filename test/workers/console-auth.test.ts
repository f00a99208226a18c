/**
 * The console's accounts and sign-in, through the Worker's fetch as a browser would use them:
 * invitation links, passwords, sessions and their cookie, the generic sign-in error, the
 * throttle, sign-out everywhere, the defences against cross-site requests, security headers,
 * owners managing admins, and every sign-in and failure recorded in the tenant's history.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { browser, inviteAdmin, PASSWORD, signedIn } from '../support/console'
import { runCron } from '../support/directory'
import { admin, createTenant } from '../support/scim'

interface HistoryEntry {
  op: string
  actor: string
  actorId: string | null
  actorName: string | null
  changes: { attr: string; after?: unknown }[]
}

async function history(tenantId: string): Promise<HistoryEntry[]> {
  const res = await admin('GET', `/tenants/${tenantId}/history?limit=100`)
  return (await res.json<{ entries: HistoryEntry[] }>()).entries
}

async function signInAs(email: string, password: string) {
  const b = browser()
  await b.get('/console/login')
  return { b, res: await b.post('/console/login', { email, password }) }
}

describe('Console sign-in', () => {
  it('Should let an invited owner set a password and sign in with a locked-down session cookie', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const invitation = await inviteAdmin(tenant.id, { email: 'owner1@acme.test', name: 'Olive' })
    const b = browser()
    const page = await b.get(invitation)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Set a password for owner1@acme.test')
    const set = await b.post(invitation, { password: PASSWORD, confirm: PASSWORD })
    expect(set.status).toBe(303)
    expect(set.headers.get('Location')).toBe('/console/login?notice=password-set')

    const login = await b.get('/console/login')
    const form = await login.text()
    expect(form.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true)
    expect(form).toMatch(/<label for="f-email">Email<\/label>/)
    expect(form).toMatch(/<label for="f-password">Password<\/label>/)
    expect(form).toMatch(/<form method="post" action="\/console\/login">/)
    const res = await b.post('/console/login', {
      email: 'OWNER1@acme.test',
      password: PASSWORD,
      next: '/console/admins',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/console/admins')
    const cookie = res.headers.getSetCookie().find((h) => h.startsWith('console_session='))
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=Lax/)
    expect(cookie).toMatch(/; Path=\/console/)
    const admins = await b.get('/console/admins')
    expect(admins.status).toBe(200)
    expect(await admins.text()).toContain('owner1@acme.test')
  })

  it('Should use an invitation link once and refuse it when expired', async ({ expect }) => {
    const tenant = await createTenant()
    const first = await inviteAdmin(tenant.id, { email: 'once@acme.test' })
    const b = browser()
    await b.get(first)
    expect((await b.post(first, { password: PASSWORD, confirm: PASSWORD })).status).toBe(303)
    expect((await b.get(first)).status).toBe(404)
    expect((await b.post(first, { password: PASSWORD, confirm: PASSWORD })).status).toBe(404)

    const second = await inviteAdmin(tenant.id, { email: 'late@acme.test' })
    await env.DB_US.prepare(
      `UPDATE admin_invitations SET expires_at = '2000-01-01T00:00:00.000Z' WHERE tenant_id = ?`
    )
      .bind(tenant.id)
      .run()
    const expired = await b.get(second)
    expect(expired.status).toBe(404)
    expect(await expired.text()).toContain('expired or was already used')
    expect((await b.get('/console/invite/us_0000000000000000.nonsense')).status).toBe(404)
  })

  it('Should refuse weak or mismatched passwords on the invitation page, saying why', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const path = await inviteAdmin(tenant.id, { email: 'weak@acme.test' })
    const b = browser()
    await b.get(path)
    const short = await b.post(path, { password: 'short', confirm: 'short' })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('at least 12 characters')
    const differ = await b.post(path, { password: PASSWORD, confirm: `${PASSWORD}!` })
    expect(await differ.text()).toContain('The two passwords differ')
    expect((await b.post(path, { password: PASSWORD, confirm: PASSWORD })).status).toBe(303)
  })

  it('Should answer one generic error for an unknown email and a wrong password, and record the failure', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    await signedIn(tenant.id, { email: 'generic@acme.test' })
    const unknown = await signInAs('nobody@acme.test', PASSWORD)
    const wrong = await signInAs('generic@acme.test', 'not the password at all')
    expect(unknown.res.status).toBe(401)
    expect(wrong.res.status).toBe(401)
    const message = 'The email or password is not correct.'
    expect(await unknown.res.text()).toContain(message)
    expect(await wrong.res.text()).toContain(message)
    expect(unknown.b.cookie('console_session')).toBeUndefined()

    const entries = await history(tenant.id)
    expect(entries.find((e) => e.op === 'admin.signin_failed')).toMatchObject({
      actor: 'admin',
      actorName: 'generic@acme.test',
      changes: [{ attr: 'reason', after: 'wrong-password' }],
    })
    expect(entries.find((e) => e.op === 'admin.signin')).toMatchObject({
      actor: 'admin',
      actorName: 'generic@acme.test',
    })
    expect(entries.find((e) => e.op === 'admin.invite')).toMatchObject({ actor: 'operator' })
  })

  it('Should refuse an account for a while after a burst of failures, even with the right password', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    await signedIn(tenant.id, { email: 'burst@acme.test' })
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        signInAs('burst@acme.test', `wrong password ${String(i)}`)
      )
    )
    expect(attempts.every((a) => a.res.status === 401)).toBe(true)
    const locked = await signInAs('burst@acme.test', PASSWORD)
    expect(locked.res.status).toBe(429)
    expect(Number(locked.res.headers.get('Retry-After'))).toBeGreaterThan(60)
    expect(await locked.res.text()).toContain('Too many failed sign-ins')
    expect(locked.b.cookie('console_session')).toBeUndefined()
    const entries = await history(tenant.id)
    expect(
      entries.some((e) => e.op === 'admin.signin_failed' && e.changes[0]?.after === 'throttled')
    ).toBe(true)
  })
})

describe('Console sessions', () => {
  it('Should send pages without a session to sign-in and refuse actions with 401', async ({
    expect,
  }) => {
    const b = browser()
    const page = await b.get('/console/admins?x=1')
    expect(page.status).toBe(303)
    expect(page.headers.get('Location')).toBe('/console/login?next=%2Fconsole%2Fadmins%3Fx%3D1')
    const action = await b.post('/console/admins', {
      email: 'x@acme.test',
      name: 'X',
      role: 'admin',
    })
    expect(action.status).toBe(401)
    b.setCookie('console_session=us_aaaaaaaaaaaaaaaa.forged; Path=/console')
    expect((await b.get('/console/admins')).status).toBe(303)
  })

  it('Should end a session after 12 idle hours and after 7 days in any case', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'idle@acme.test' })
    expect((await b.get('/console/admins')).status).toBe(200)
    const idle = new Date(Date.now() - 12 * 3_600_000 - 60_000).toISOString()
    await env.DB_US.prepare(`UPDATE admin_sessions SET last_seen_at = ? WHERE tenant_id = ?`)
      .bind(idle, tenant.id)
      .run()
    expect((await b.get('/console/admins')).status).toBe(303)

    const c = await signedIn(tenant.id, { email: 'old@acme.test' })
    await env.DB_US.prepare(
      `UPDATE admin_sessions SET expires_at = ? WHERE tenant_id = ? AND admin_id IN
        (SELECT id FROM tenant_admins WHERE email_ci = 'old@acme.test')`
    )
      .bind(new Date(Date.now() - 1000).toISOString(), tenant.id)
      .run()
    expect((await c.get('/console/admins')).status).toBe(303)
  })

  it('Should sign out everywhere when the password changes', async ({ expect }) => {
    const tenant = await createTenant()
    const one = await signedIn(tenant.id, { email: 'pw@acme.test' })
    const two = browser()
    await two.get('/console/login')
    await two.post('/console/login', { email: 'pw@acme.test', password: PASSWORD })
    expect((await two.get('/console/admins')).status).toBe(200)

    await one.get('/console/account')
    const next = 'an even better passphrase'
    const changed = await one.post('/console/account/password', {
      current: PASSWORD,
      password: next,
      confirm: next,
    })
    expect(changed.status).toBe(303)
    expect((await two.get('/console/admins')).status).toBe(303)
    expect((await one.get('/console/admins')).status).toBe(303)
    expect((await signInAs('pw@acme.test', PASSWORD)).res.status).toBe(401)
    expect((await signInAs('pw@acme.test', next)).res.status).toBe(303)
  })

  it('Should sign out with the session ended on the server', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'out@acme.test' })
    const stolen = b.cookie('console_session') ?? ''
    await b.get('/console/account')
    const out = await b.post('/console/logout', {})
    expect(out.status).toBe(303)
    const replay = browser()
    replay.setCookie(`console_session=${stolen}; Path=/console`)
    expect((await replay.get('/console/admins')).status).toBe(303)
  })
})

describe('Console defences', () => {
  it('Should refuse a cross-site POST and a form without the session token', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'csrf@acme.test' })
    await b.get('/console/admins')
    const fields = { email: 'victim@acme.test', name: 'Victim', role: 'owner' }
    const crossSite = await b.post('/console/admins', fields, { origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    const noToken = await b.post('/console/admins', { ...fields, _csrf: 'guessed' })
    expect(noToken.status).toBe(403)
    const loginCrossSite = await browser().post(
      '/console/login',
      { email: 'csrf@acme.test', password: PASSWORD },
      { origin: 'https://evil.example' }
    )
    expect(loginCrossSite.status).toBe(403)
    const admins = await admin('GET', `/tenants/${tenant.id}/admins`)
    const list = (await admins.json<{ admins: { email: string }[] }>()).admins
    expect(list.map((a) => a.email)).toEqual(['csrf@acme.test'])
  })

  it.for(['/console/login', '/console/admins', '/console/account', '/console/nowhere'])(
    'Should send strict security headers on %s',
    async (path, { expect }) => {
      const tenant = await createTenant()
      const b = await signedIn(tenant.id, { email: `headers${path.replace(/\W/g, '')}@acme.test` })
      const res = await b.get(path)
      const csp = res.headers.get('Content-Security-Policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(res.headers.get('X-Frame-Options')).toBe('DENY')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
      expect(res.headers.get('Cache-Control')).toBe('no-store')
    }
  )

  it('Should render names carrying HTML as text', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'xss@acme.test' })
    await inviteAdmin(tenant.id, {
      email: 'script@acme.test',
      name: '<script>alert(1)</script><img src=x onerror=alert(2)>',
      role: 'admin',
    })
    const html = await (await b.get('/console/admins')).text()
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'
    )
    expect(html).not.toContain('<script>alert(1)')
  })
})

describe('Console admins', () => {
  it('Should let owners invite, change roles and remove admins, and keep an owner', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const owner = await signedIn(tenant.id, { email: 'boss@acme.test' })
    await owner.get('/console/admins')
    const invited = await owner.post('/console/admins', {
      email: 'helper@acme.test',
      name: 'Helper',
      role: 'admin',
    })
    expect(invited.status).toBe(201)
    const page = await invited.text()
    const link = /\/console\/invite\/[A-Za-z0-9_.-]+/.exec(page)?.[0] ?? ''
    expect(page).toContain('It is shown only now')
    const helper = browser()
    await helper.get(link)
    expect((await helper.post(link, { password: PASSWORD, confirm: PASSWORD })).status).toBe(303)
    await helper.get('/console/login')
    await helper.post('/console/login', { email: 'helper@acme.test', password: PASSWORD })
    await helper.get('/console/admins')
    const refused = await helper.post('/console/admins', {
      email: 'sneaky@acme.test',
      name: 'Sneaky',
      role: 'owner',
    })
    expect(refused.status).toBe(403)

    const list = await (
      await admin('GET', `/tenants/${tenant.id}/admins`)
    ).json<{
      admins: { id: string; email: string }[]
    }>()
    const boss = list.admins.find((a) => a.email === 'boss@acme.test')
    const help = list.admins.find((a) => a.email === 'helper@acme.test')
    await owner.get('/console/admins')
    const demote = await owner.post(`/console/admins/${boss?.id ?? ''}/role`, { role: 'admin' })
    expect(demote.status).toBe(409)
    expect(await demote.text()).toContain('only owner')
    await owner.get('/console/admins')
    expect((await owner.post(`/console/admins/${help?.id ?? ''}/remove`, {})).status).toBe(303)
    expect((await helper.get('/console/admins')).status).toBe(303)
    const ops = (await history(tenant.id)).map((e) => e.op)
    expect(ops).toEqual(
      expect.arrayContaining(['admin.invite', 'admin.remove', 'admin.password_set'])
    )
  })
})

describe('Console housekeeping', () => {
  it('Should let the cron forget ended sessions and expired invitations', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'sweep@acme.test' })
    await inviteAdmin(tenant.id, { email: 'never@acme.test', role: 'admin' })
    const count = async (table: string) =>
      (
        await env.DB_US.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
          .bind(tenant.id)
          .first<{ n: number }>()
      )?.n
    expect(await count('admin_sessions')).toBe(1)
    await runCron(new Date(Date.now() + 13 * 3_600_000))
    expect(await count('admin_sessions')).toBe(0)
    expect(await count('admin_invitations')).toBe(2)
    await runCron(new Date(Date.now() + 73 * 3_600_000))
    expect(await count('admin_invitations')).toBe(0)
    expect((await b.get('/console/admins')).status).toBe(303)
  })
})
