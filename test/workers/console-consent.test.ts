/**
 * "Connect to Microsoft Entra ID" through the Worker's fetch: a directory sync created in the
 * console waits for consent, the admin is sent to the identity platform's admin consent endpoint
 * (the fake's, followed as a browser would), the answer comes back to the console's callback,
 * which sends the admin on to an OpenID Connect sign-in against the directory the answer named;
 * the sign-in's answer is redeemed and its ID token checked, the directory stored, and "Sync now"
 * then reads that directory with the operator's application. Answers from another session,
 * altered, replayed or late are refused and store nothing; a refusal shows what Microsoft said;
 * another tenant's admin gets 404. (The sign-in's own refusals: console-consent-signin.test.ts.)
 */
import { beforeAll, describe, it, vi } from 'vitest'
import {
  answerOf,
  callback,
  connect,
  connectThrough,
  consentHistory,
  createConsentSync,
  LOGIN,
  NEW_PULL as NEW,
  paramsOf,
  settingsOf,
  signInUrlOf,
  waitingSync,
} from '../support/consent'
import { signedIn } from '../support/console'
import { adminJson, reportAgents } from '../support/directory'
import {
  chooseConsenter,
  CONTOSO_PRODUCT,
  finishRun,
  newDirectory,
  operatorApp,
  productState,
  registerOperatorApp,
  stats,
} from '../support/graph'
import { admin, createTenant, ORIGIN } from '../support/scim'

beforeAll(async () => {
  await registerOperatorApp()
})

describe('Console: connect a directory sync to Microsoft Entra ID', () => {
  it('Should create it waiting for consent, connect it through admin consent and sync', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    await reportAgents(tenant.id, [
      { id: 'adele-pc', upn: 'AdeleV@contoso.com' },
      { id: 'lee-pc', upn: 'LeeG@contoso.com' },
    ])
    const directory = await newDirectory()
    const b = await signedIn(tenant.id, { email: 'consent1@acme.test' })
    const form = await (await b.get(NEW)).text()
    expect(form).toContain('Save, then connect to Microsoft Entra ID')
    expect(form).toContain('Use an app registration of your own instead (advanced)')

    const { id, path, location } = await createConsentSync(b)
    expect(location).toBe(`${path}?done=created-consent`)
    const waiting = await (await b.get(location)).text()
    expect(waiting).toContain('Waiting for consent')
    expect(waiting).toContain(`href="/console/integrations/${id}/connect"`)
    expect(waiting).toMatch(/<button type="submit" class="primary" disabled="">\s*Sync now/)
    expect(await (await b.get('/console/integrations')).text()).toContain('Waiting for consent')
    expect(await settingsOf(tenant.id, id)).toMatchObject({
      auth: 'consent',
      directoryId: null,
      clientId: null,
    })
    const early = await admin('POST', `/tenants/${tenant.id}/instances/${id}/sync`)
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('waiting for consent: connect it to Microsoft Entra ID')

    const consentUrl = await connect(b, id)
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(
      `${LOGIN}/organizations/v2.0/adminconsent`
    )
    const query = Object.fromEntries(consentUrl.searchParams)
    expect(query).toMatchObject({
      client_id: operatorApp().clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: `${ORIGIN}/console/integrations/consent/callback`,
    })
    expect(query['state']).toMatch(new RegExp(`^${id}\\.[a-z0-9]+\\.\\d+\\.[A-Za-z0-9_-]{43}$`))
    expect(consentUrl.toString()).not.toContain(operatorApp().clientSecret)

    await chooseConsenter({ directoryId: directory })
    const consented = await answerOf(consentUrl)
    expect(paramsOf(consented)).toMatchObject({ admin_consent: 'True', tenant: directory })
    // The answer's `tenant` came through the browser: a sign-in to that directory must prove it.
    const signIn = await signInUrlOf(b, consented)
    expect(`${signIn.origin}${signIn.pathname}`).toBe(`${LOGIN}/${directory}/oauth2/v2.0/authorize`)
    const nonce = (query['state'] ?? '').split('.')[1] ?? ''
    expect(Object.fromEntries(signIn.searchParams)).toMatchObject({
      client_id: operatorApp().clientId,
      response_type: 'code',
      redirect_uri: `${ORIGIN}/console/integrations/consent/callback`,
      scope: 'openid profile',
      nonce,
      prompt: 'none',
    })
    expect(signIn.searchParams.get('state')).toMatch(
      new RegExp(`^${id}\\.${directory}\\.${nonce}\\.\\d+\\.s\\.[A-Za-z0-9_-]{43}$`)
    )
    expect(signIn.toString()).not.toContain(operatorApp().clientSecret)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: null })

    const back = await b.get(await answerOf(signIn))
    expect(back.status).toBe(303)
    expect(back.headers.get('Location')).toBe(`${path}?done=connected`)
    const connected = await (await b.get(`${path}?done=connected`)).text()
    expect(connected).toContain('Connected to Microsoft Entra ID: your directory granted consent')
    expect(connected).toContain(directory)
    expect(connected).toContain('Reconnect')
    expect(connected).not.toContain('Waiting for consent')
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: directory })
    expect((await consentHistory(tenant.id, id))[0]).toMatchObject({
      actor: 'admin',
      changes: [{ attr: 'directoryId', after: directory }],
    })

    expect((await b.post(`${path}/sync`, {})).status).toBe(303)
    const run = await finishRun(tenant.id, id)
    expect(run.status).toBe('succeeded')
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
    expect((await stats(directory)).tokenRequests).toBeGreaterThan(0)
    expect(await (await b.get(path)).text()).toContain('Succeeded')
  })

  it('Should reconnect to the directory that consents the second time', async ({ expect }) => {
    const { tenant, b, id, path } = await waitingSync('consent2@acme.test')
    const [first, second] = [await newDirectory(), await newDirectory()]
    await chooseConsenter({ directoryId: first })
    expect((await connectThrough(b, id)).status).toBe(303)
    await chooseConsenter({ directoryId: second })
    expect((await connectThrough(b, id)).status).toBe(303)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: second })
    expect((await consentHistory(tenant.id, id))[0]?.changes).toEqual([
      { attr: 'directoryId', before: first, after: second },
    ])
    expect((await b.post(`${path}/sync`, {})).status).toBe(303)
    expect((await finishRun(tenant.id, id)).status).toBe('succeeded')
  })

  it('Should show a refusal with what Microsoft said and keep the instance waiting', async ({
    expect,
  }) => {
    const { tenant, b, id, path } = await waitingSync('consent3@acme.test')
    await chooseConsenter({
      decline: true,
      errorDescription: 'Declined by <script>alert(1)</script> the admin.',
    })
    const declined = await b.get(await answerOf(await connect(b, id)))
    expect(declined.status).toBe(200)
    const html = await declined.text()
    expect(html).toContain('Consent was not granted')
    expect(html).toContain('access_denied')
    expect(html).toContain(
      'AADSTS65004: Declined by &lt;script&gt;alert(1)&lt;/script&gt; the admin.'
    )
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain(`href="/console/integrations/${id}/connect"`)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: null })
    expect(await consentHistory(tenant.id, id)).toEqual([])
    expect(await (await b.get(path)).text()).toContain('Waiting for consent')
  })

  it('Should refuse an answer from another session, altered, replayed or late', async ({
    expect,
  }) => {
    const { tenant, b, id } = await waitingSync('consent4@acme.test')
    const other = await signedIn(tenant.id, { email: 'consent4b@acme.test' })
    const directory = await newDirectory()
    await chooseConsenter({ directoryId: directory })
    const answer = await answerOf(await connect(b, id))
    const params = Object.fromEntries(new URL(answer, ORIGIN).searchParams)
    const state = params['state'] ?? ''

    const elsewhere = await other.get(answer)
    expect(elsewhere.status).toBe(400)
    expect(await elsewhere.text()).toContain('does not belong to your session')
    // The second-to-last character: the last one of a base64url MAC may carry only padding bits.
    const altered = state.replace(/.(?=.$)/, (ch) => (ch === 'A' ? 'B' : 'A'))
    for (const bad of [
      { ...params, state: altered },
      { ...params, state: state.replace(/^[a-z0-9]+/, 'zzzzzzzzzzzz') },
    ])
      expect((await b.get(callback(bad))).status).toBe(400)
    const none = await b.get(callback({ tenant: directory, admin_consent: 'True' }))
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('carries no valid state')
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: null })

    const signIn = await signInUrlOf(b, answer)
    expect((await b.get(await answerOf(signIn))).status).toBe(303)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: directory })
    // Replaying the consent answer leads to a sign-in whose nonce the tenant's object has spent.
    const replayed = await b.get(await answerOf(await signInUrlOf(b, answer)))
    expect(replayed.status).toBe(409)
    expect(await replayed.text()).toContain('used already')
    // And with another directory swapped in, the sign-in shows an admin of this one.
    const swapped = callback({ ...params, tenant: await newDirectory() })
    const elsewhereSignIn = await b.get(await answerOf(await signInUrlOf(b, swapped)))
    expect(elsewhereSignIn.status).toBe(403)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: directory })
    expect(await consentHistory(tenant.id, id)).toHaveLength(1)

    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const late = await connect(b, id)
      vi.setSystemTime(Date.now() + 11 * 60_000)
      const res = await b.get(await answerOf(late))
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('more than 10 minutes after you started')
    } finally {
      vi.useRealTimers()
    }
    expect(await consentHistory(tenant.id, id)).toHaveLength(1)
  })

  it.for([
    [
      'a tenant that is not a GUID',
      { tenant: 'contoso.com' },
      'answered &quot;contoso.com&quot; as the consenting directory: it must be a directory (tenant) id',
    ],
    ['no tenant at all', {}, 'names no directory'],
  ] as const)(
    'Should refuse an answer with %s and store nothing',
    async ([, extra, message], { expect }) => {
      const { tenant, b, id } = await waitingSync(
        `consent5-${String(Object.keys(extra).length)}@acme.test`
      )
      const state = (await connect(b, id)).searchParams.get('state') ?? ''
      const res = await b.get(callback({ admin_consent: 'True', state, ...extra }))
      expect(res.status).toBe(400)
      expect(await res.text()).toContain(message)
      expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: null })
      expect(await consentHistory(tenant.id, id)).toEqual([])
    }
  )

  it("Should answer 404 to another tenant's admin and 400 for an own-app instance", async ({
    expect,
  }) => {
    const { b, id } = await waitingSync('consent6@acme.test')
    const strangerTenant = await createTenant()
    const stranger = await signedIn(strangerTenant.id, { email: 'consent6b@acme.test' })
    expect((await stranger.get(`/console/integrations/${id}/connect`)).status).toBe(404)
    const directory = await newDirectory()
    await chooseConsenter({ directoryId: directory })
    const answer = await answerOf(await connect(b, id))
    expect((await stranger.get(answer)).status).toBe(400)

    const own = await b.post(NEW, {
      name: 'Own app',
      groupsParent: 'ActivTrak Groups',
      intervalHours: '24',
      directoryId: directory,
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'shh',
      auth: 'app',
    })
    expect(own.status).toBe(303)
    const ownId = (own.headers.get('Location') ?? '').split('?')[0]?.split('/').pop() ?? ''
    expect((await b.get(`/console/integrations/${ownId}/connect`)).status).toBe(400)
    expect(await (await b.get(`/console/integrations/${ownId}`)).text()).not.toContain(
      'Waiting for consent'
    )
  })

  it('Should change its groups in the console, and refuse credentials from the admin API', async ({
    expect,
  }) => {
    const { tenant, b, id, path } = await waitingSync('consent8@acme.test')
    const page = await (await b.get(path)).text()
    expect(page).not.toContain('name="clientSecret"')
    const saved = await b.post(`${path}/settings`, {
      name: 'Contoso directory',
      groupsParent: 'Product Groups',
      intervalHours: '12',
    })
    expect(saved.status).toBe(303)
    expect(await settingsOf(tenant.id, id)).toMatchObject({
      auth: 'consent',
      groupsParent: 'Product Groups',
      directoryId: null,
    })
    const patched = await admin('PATCH', `/tenants/${tenant.id}/instances/${id}`, {
      directoryId: '11111111-1111-4111-8111-111111111111',
    })
    expect(patched.status).toBe(400)
    expect(await patched.text()).toContain('connects with admin consent')
  })

  it('Should disable and enable a waiting instance without starting a sync', async ({ expect }) => {
    const { tenant, b, id, path } = await waitingSync('consent7@acme.test')
    expect((await b.post(`${path}/disable`, {})).status).toBe(303)
    await b.get(path)
    expect((await b.post(`${path}/enable`, {})).status).toBe(303)
    const { runs } = await adminJson<{ runs: unknown[] }>(
      'GET',
      `/tenants/${tenant.id}/instances/${id}/sync/runs`
    )
    expect(runs).toEqual([])
  })
})
