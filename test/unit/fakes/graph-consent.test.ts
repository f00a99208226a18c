/**
 * The fake identity platform's admin consent for a multi-tenant app, against the v2.0 endpoint's
 * wire format: the 302 back to a registered redirect URI with `admin_consent`, `tenant`, `scope`
 * and `state`, a refusal as `error`/`error_description`, AADSTS error pages (never a redirect) for
 * an unknown client or redirect URI, and tokens for the app only in directories that consented.
 */
import { describe, it } from 'vitest'
import type { FakeGraph } from '../../fakes/graph/app.ts'
import {
  CONTOSO_ID,
  contosoFake,
  graphGet,
  LOGIN,
  requestToken,
  type TokenBody,
} from './graph-helpers.ts'

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5)
const APP_ID = '33333333-3333-4333-8333-333333333333'
const APP_SECRET = 'Operator~MultiTenant.Secret'
const CALLBACK = 'https://scim.example.com/console/integrations/consent/callback'
const SCOPE = 'https://graph.microsoft.com/.default'
const OTHER_ID = '44444444-4444-4444-8444-444444444444'

function operatorFake(): FakeGraph {
  const fake = contosoFake({ now: () => NOW })
  fake.registerApp(APP_ID, { clientSecret: APP_SECRET, redirectUris: [CALLBACK] })
  return fake
}

function consentUrl(overrides: Record<string, string | undefined> = {}, tenant = 'organizations') {
  const fields: Record<string, string | undefined> = {
    client_id: APP_ID,
    scope: SCOPE,
    redirect_uri: CALLBACK,
    state: 'opaque-state.123',
    ...overrides,
  }
  const url = new URL(`${LOGIN}/${tenant}/v2.0/adminconsent`)
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

const open = (fake: FakeGraph, url: string) => fake.fetch(new Request(url, { redirect: 'manual' }))

/** The query of a 302's Location, as the callback receives it. */
function answerOf(res: Response): Record<string, string> {
  const location = res.headers.get('Location') ?? ''
  expectLocationBase(location)
  return Object.fromEntries(new URL(location).searchParams)
}

function expectLocationBase(location: string): void {
  if (!location.startsWith(`${CALLBACK}?`)) throw new Error(`not the callback: ${location}`)
}

const appToken = (fake: FakeGraph, directoryId = CONTOSO_ID, secret = APP_SECRET) =>
  requestToken(fake, directoryId, { client_id: APP_ID, client_secret: secret })

describe('fake admin consent', () => {
  it('Should send the consenting directory back to the redirect URI with the state', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    const res = await open(fake, consentUrl())
    expect(res.status).toBe(302)
    expect(answerOf(res)).toEqual({
      admin_consent: 'True',
      tenant: CONTOSO_ID,
      scope: SCOPE,
      state: 'opaque-state.123',
    })
  })

  it('Should issue tokens to the app only in a directory that consented', async ({ expect }) => {
    const fake = operatorFake()
    const before = await (await appToken(fake)).json<TokenBody>()
    expect(before).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] })
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    await open(fake, consentUrl())
    const after = await (await appToken(fake)).json<TokenBody>()
    expect(after.access_token).toMatch(/^fakegraph\./)
    const users = await graphGet(fake, after.access_token, '/v1.0/users?$select=id')
    expect(users.status).toBe(200)
    const wrong = await (await appToken(fake, CONTOSO_ID, 'nope')).json<TokenBody>()
    expect(wrong).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })
  })

  it('Should stop issuing tokens once the directory removes the app', async ({ expect }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    await open(fake, consentUrl())
    const removed = await fake.fetch(
      new Request(`${LOGIN}/_fake/apps/${APP_ID}/consents/${CONTOSO_ID}`, { method: 'DELETE' })
    )
    expect(removed.status).toBe(204)
    expect((await (await appToken(fake)).json<TokenBody>()).error).toBe('unauthorized_client')
  })

  it('Should answer a refusal with error and error_description, and grant nothing', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { decline: true })
    const answer = answerOf(await open(fake, consentUrl()))
    expect(answer).toMatchObject({
      admin_consent: 'True',
      error: 'access_denied',
      state: 'opaque-state.123',
    })
    expect(answer['error_description']).toMatch(
      /^AADSTS65004: The resource owner or authorization server denied the request\.\r\nTrace ID: /
    )
    expect(answer['tenant']).toBeUndefined()
    expect((await (await appToken(fake)).json<TokenBody>()).error).toBe('unauthorized_client')
  })

  it.for([
    ['an unknown client_id', { client_id: OTHER_ID }, 'AADSTS700016'],
    ['no client_id', { client_id: undefined }, 'AADSTS900144'],
    ['a redirect URI it does not list', { redirect_uri: 'https://evil.example/cb' }, 'AADSTS50011'],
    ['no redirect URI', { redirect_uri: undefined }, 'AADSTS50011'],
  ] as const)(
    'Should show an error page, never a redirect, for %s',
    async ([, overrides, code], { expect }) => {
      const fake = operatorFake()
      fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
      const res = await open(fake, consentUrl(overrides))
      expect(res.status).toBe(400)
      expect(res.headers.get('Location')).toBeNull()
      expect(res.headers.get('Content-Type')).toContain('text/html')
      const html = await res.text()
      expect(html).toContain(code)
      expect(html).not.toContain('<script')
    }
  )

  it('Should escape what it echoes on its error page', async ({ expect }) => {
    const fake = operatorFake()
    const html = await (
      await open(fake, consentUrl({ redirect_uri: 'https://x.example/<script>alert(1)</script>' }))
    ).text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('&#60;script&#62;')
  })

  it('Should send a missing scope back to the redirect URI as invalid_request', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    const answer = answerOf(await open(fake, consentUrl({ scope: undefined })))
    expect(answer).toMatchObject({ error: 'invalid_request', state: 'opaque-state.123' })
    expect(answer['error_description']).toMatch(/^AADSTS900144: /)
  })

  it('Should take the directory from the path, and refuse an unknown one', async ({ expect }) => {
    const fake = operatorFake()
    const answer = answerOf(await open(fake, consentUrl({}, CONTOSO_ID)))
    expect(answer['tenant']).toBe(CONTOSO_ID)
    const unknown = await open(fake, consentUrl({}, OTHER_ID))
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('AADSTS90002')
  })

  it('Should say how to choose an admin when none answers for "organizations"', async ({
    expect,
  }) => {
    const res = await open(operatorFake(), consentUrl())
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(`/_fake/apps/${APP_ID}/consenter`)
  })
})

describe('fake admin consent control API', () => {
  const control = (fake: FakeGraph, method: string, path: string, body?: unknown) =>
    fake.fetch(
      new Request(`${LOGIN}/_fake${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    )

  it('Should register an app, choose the consenting directory and list its consents', async ({
    expect,
  }) => {
    const fake = contosoFake({ now: () => NOW })
    const put = await control(fake, 'PUT', `/apps/${APP_ID}`, {
      clientSecret: APP_SECRET,
      redirectUris: [CALLBACK],
    })
    expect(put.status).toBe(201)
    expect(await put.json()).not.toHaveProperty('clientSecret')
    const chosen = await control(fake, 'PUT', `/apps/${APP_ID}/consenter`, {
      directoryId: CONTOSO_ID,
    })
    expect(chosen.status).toBe(200)
    await open(fake, consentUrl())
    const shown = await (
      await control(fake, 'GET', `/apps/${APP_ID}`)
    ).json<{
      consentedIn: string[]
    }>()
    expect(shown.consentedIn).toEqual([CONTOSO_ID])
  })

  it.for([
    ['a registration without redirect URIs', 'PUT', `/apps/${APP_ID}`, { clientSecret: 's' }, 400],
    [
      'a consenter of an unknown directory',
      'PUT',
      `/apps/${APP_ID}/consenter`,
      { directoryId: OTHER_ID },
      404,
    ],
    ['a consenter of an unknown app', 'PUT', `/apps/${OTHER_ID}/consenter`, { decline: true }, 404],
    ['an unknown app', 'GET', `/apps/${OTHER_ID}`, undefined, 404],
  ] as const)('Should refuse %s', async ([, method, path, body, status], { expect }) => {
    const fake = operatorFake()
    const res = await control(fake, method, path, body)
    expect(res.status).toBe(status)
    expect((await res.json<{ error: string }>()).error).toBeTruthy()
  })
})
