/**
 * The fake identity platform's OpenID Connect sign-in for a multi-tenant app, against the v2.0
 * wire format: the authorize endpoint's 302 with `code`, `state` and `session_state` (or `error`
 * for a silent request that cannot be answered silently), AADSTS pages for an unknown client or
 * redirect URI, and the authorization code grant's `id_token` with the signed-in admin's claims;
 * a code is single use, short-lived and bound to its client, redirect URI and tenant.
 */
import { describe, it } from 'vitest'
import { fromBase64Url } from '../../../src/lib/ids'
import type { FakeGraph } from '../../fakes/graph/app.ts'
import { CONTOSO, CONTOSO_ID, contosoFake, LOGIN, type TokenBody } from './graph-helpers.ts'

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5)
const APP_ID = '33333333-3333-4333-8333-333333333333'
const APP_SECRET = 'Operator~MultiTenant.Secret'
const OTHER_APP_ID = '55555555-5555-4555-8555-555555555555'
const CALLBACK = 'https://scim.example.com/console/integrations/consent/callback'
const FABRIKAM_ID = '44444444-4444-4444-8444-444444444444'
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10'

interface SignInToken extends TokenBody {
  id_token?: string
  scope?: string
}

function operatorFake(): FakeGraph {
  const fake = contosoFake({ now: () => NOW })
  fake.load(FABRIKAM_ID, CONTOSO)
  fake.registerApp(APP_ID, { clientSecret: APP_SECRET, redirectUris: [CALLBACK] })
  fake.registerApp(OTHER_APP_ID, { clientSecret: 'other', redirectUris: [CALLBACK] })
  return fake
}

function authorizeUrl(overrides: Record<string, string | undefined> = {}, tenant = CONTOSO_ID) {
  const fields: Record<string, string | undefined> = {
    client_id: APP_ID,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid',
    state: 'opaque-state.456',
    nonce: 'n0nce-1',
    prompt: 'none',
    ...overrides,
  }
  const url = new URL(`${LOGIN}/${tenant}/oauth2/v2.0/authorize`)
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

const open = (fake: FakeGraph, url: string) => fake.fetch(new Request(url, { redirect: 'manual' }))

/** The query of the 302 back to the callback. */
function answerOf(res: Response): Record<string, string> {
  const location = res.headers.get('Location') ?? ''
  if (res.status !== 302 || !location.startsWith(`${CALLBACK}?`))
    throw new Error(`not an answer to the callback: ${String(res.status)} ${location}`)
  return Object.fromEntries(new URL(location).searchParams)
}

async function codeOf(fake: FakeGraph, url = authorizeUrl()): Promise<string> {
  const code = answerOf(await open(fake, url))['code']
  if (code === undefined) throw new Error('no code')
  return code
}

async function redeem(
  fake: FakeGraph,
  code: string,
  overrides: Record<string, string | undefined> = {},
  tenant = CONTOSO_ID
): Promise<{ status: number; body: SignInToken }> {
  const fields: Record<string, string | undefined> = {
    client_id: APP_ID,
    client_secret: APP_SECRET,
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    scope: 'openid',
    ...overrides,
  }
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.set(k, v)
  const res = await fake.fetch(
    new Request(`${LOGIN}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
  )
  return { status: res.status, body: await res.json<SignInToken>() }
}

/** The JSON payload of a JWT (the fake's signature is not checked). */
function payloadOf(jwt: string | undefined): Record<string, unknown> {
  const parts = (jwt ?? '').split('.')
  if (parts.length !== 3) throw new Error(`not a JWT: ${String(jwt)}`)
  const bytes = fromBase64Url(parts[1] ?? '')
  if (!bytes) throw new Error(`not base64url: ${String(parts[1])}`)
  const text = new TextDecoder().decode(bytes)
  return JSON.parse(text) as Record<string, unknown>
}

describe('fake OpenID Connect sign-in', () => {
  it('Should sign the admin in silently and give an ID token with their claims', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID, preferredUsername: 'megan@contoso.com' })
    const answer = answerOf(await open(fake, authorizeUrl()))
    expect(answer).toMatchObject({ state: 'opaque-state.456' })
    expect(answer['code']).toBeTruthy()
    expect(answer['session_state']).toBeTruthy()
    const { status, body } = await redeem(fake, answer['code'] ?? '')
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid', expires_in: 3599 })
    const iat = Math.floor(NOW / 1000)
    expect(payloadOf(body.id_token)).toMatchObject({
      aud: APP_ID,
      iss: `${LOGIN}/${CONTOSO_ID}/v2.0`,
      tid: CONTOSO_ID,
      nonce: 'n0nce-1',
      preferred_username: 'megan@contoso.com',
      wids: [GLOBAL_ADMINISTRATOR],
      ver: '2.0',
      iat,
      exp: iat + 3600,
    })
    expect(payloadOf(body.id_token)['oid']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('Should name the directory the admin lives in, whatever directory the path names', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    const code = await codeOf(fake, authorizeUrl({}, FABRIKAM_ID))
    const { body } = await redeem(fake, code, {}, FABRIKAM_ID)
    expect(payloadOf(body.id_token)).toMatchObject({
      tid: CONTOSO_ID,
      iss: `${LOGIN}/${CONTOSO_ID}/v2.0`,
    })
  })

  it('Should carry the roles it is told, none at all, or claims put in place', async ({
    expect,
  }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, {
      directoryId: CONTOSO_ID,
      wids: ['a9ea8996-122f-4c74-9520-b03e91a63c5a'],
    })
    const some = await redeem(fake, await codeOf(fake))
    expect(payloadOf(some.body.id_token)['wids']).toEqual(['a9ea8996-122f-4c74-9520-b03e91a63c5a'])
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID, wids: null })
    const none = await redeem(fake, await codeOf(fake))
    expect(payloadOf(none.body.id_token)).not.toHaveProperty('wids')
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID, idTokenClaims: { aud: OTHER_APP_ID } })
    const swapped = await redeem(fake, await codeOf(fake))
    expect(payloadOf(swapped.body.id_token)['aud']).toBe(OTHER_APP_ID)
  })

  it('Should give no ID token without the openid scope', async ({ expect }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    const code = await codeOf(fake, authorizeUrl({ scope: 'offline_access' }))
    const { status, body } = await redeem(fake, code)
    expect(status).toBe(200)
    expect(body.id_token).toBeUndefined()
  })

  it('Should answer a silent request that needs the admin with login_required or interaction_required', async ({
    expect,
  }) => {
    const fake = operatorFake()
    const nobody = answerOf(await open(fake, authorizeUrl()))
    expect(nobody).toMatchObject({ error: 'login_required', state: 'opaque-state.456' })
    expect(nobody['error_description']).toMatch(/^AADSTS50058: /)
    const page = await open(fake, authorizeUrl({ prompt: undefined }))
    expect(page.status).toBe(400)
    expect(await page.text()).toContain(`/_fake/apps/${APP_ID}/consenter`)

    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID, requiresInteraction: true })
    const mfa = answerOf(await open(fake, authorizeUrl()))
    expect(mfa).toMatchObject({ error: 'interaction_required', state: 'opaque-state.456' })
    expect(mfa['error_description']).toMatch(/^AADSTS50076: /)
    expect(answerOf(await open(fake, authorizeUrl({ prompt: undefined })))['code']).toBeTruthy()
  })

  it('Should leave nobody signed in after a refusal of consent', async ({ expect }) => {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    fake.setConsenter(APP_ID, { decline: true })
    expect(answerOf(await open(fake, authorizeUrl()))['error']).toBe('login_required')
  })

  it.for([
    ['no response_type', { response_type: undefined }, 'invalid_request', 'AADSTS900144'],
    [
      'response_type token',
      { response_type: 'token' },
      'unsupported_response_type',
      'AADSTS700054',
    ],
    ['no scope', { scope: undefined }, 'invalid_request', 'AADSTS900144'],
  ] as const)(
    'Should send %s back to the redirect URI as an error',
    async ([, overrides, error, code], { expect }) => {
      const fake = operatorFake()
      fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
      const answer = answerOf(await open(fake, authorizeUrl(overrides)))
      expect(answer).toMatchObject({ error, state: 'opaque-state.456' })
      expect(answer['error_description']).toMatch(new RegExp(`^${code}: `))
      expect(answer['code']).toBeUndefined()
    }
  )

  it.for([
    ['an unknown client_id', { client_id: FABRIKAM_ID }, CONTOSO_ID, 'AADSTS700016'],
    [
      'a redirect URI it does not list',
      { redirect_uri: 'https://evil.example/cb' },
      CONTOSO_ID,
      'AADSTS50011',
    ],
    ['an unknown directory', {}, '66666666-6666-4666-8666-666666666666', 'AADSTS90002'],
  ] as const)(
    'Should show an error page, never a redirect, for %s',
    async ([, overrides, tenant, code], { expect }) => {
      const fake = operatorFake()
      fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
      const res = await open(fake, authorizeUrl(overrides, tenant))
      expect(res.status).toBe(400)
      expect(res.headers.get('Location')).toBeNull()
      expect(await res.text()).toContain(code)
    }
  )
})

describe('fake authorization code grant', () => {
  async function signedInFake() {
    const fake = operatorFake()
    fake.setConsenter(APP_ID, { directoryId: CONTOSO_ID })
    return { fake, code: await codeOf(fake) }
  }

  it('Should redeem a code once', async ({ expect }) => {
    const { fake, code } = await signedInFake()
    expect((await redeem(fake, code)).status).toBe(200)
    const again = await redeem(fake, code)
    expect(again.status).toBe(400)
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] })
    expect(again.body.error_description).toMatch(
      /^AADSTS54005: OAuth2 Authorization code was already redeemed/
    )
    expect(again.body).toHaveProperty('trace_id')
    expect(again.body).toHaveProperty('correlation_id')
  })

  it.for([
    ['an unknown code', { code: '0.fake.nope' }, CONTOSO_ID, 400, 'invalid_grant', 9002313],
    [
      'another client',
      { client_id: OTHER_APP_ID, client_secret: 'other' },
      CONTOSO_ID,
      400,
      'invalid_grant',
      70000,
    ],
    [
      'another redirect URI',
      { redirect_uri: `${CALLBACK}x` },
      CONTOSO_ID,
      400,
      'invalid_grant',
      500112,
    ],
    ['another tenant', {}, FABRIKAM_ID, 400, 'invalid_grant', 700005],
    ['a wrong secret', { client_secret: 'nope' }, CONTOSO_ID, 401, 'invalid_client', 7000215],
    ['no secret', { client_secret: undefined }, CONTOSO_ID, 401, 'invalid_client', 7000218],
    ['no redirect URI', { redirect_uri: undefined }, CONTOSO_ID, 400, 'invalid_request', 900144],
    ['no code', { code: undefined }, CONTOSO_ID, 400, 'invalid_request', 900144],
  ] as const)(
    'Should refuse %s and keep the code',
    async ([, overrides, tenant, status, error, aadsts], { expect }) => {
      const { fake, code } = await signedInFake()
      const refused = await redeem(fake, code, overrides, tenant)
      expect(refused.status).toBe(status)
      expect(refused.body).toMatchObject({ error, error_codes: [aadsts] })
      expect(refused.body.error_description).toMatch(new RegExp(`^AADSTS${String(aadsts)}: `))
      expect((await redeem(fake, code)).status).toBe(200)
    }
  )

  it('Should refuse a code after 10 minutes', async ({ expect }) => {
    const { fake, code } = await signedInFake()
    fake.advanceClock(10 * 60_000)
    const late = await redeem(fake, code)
    expect(late.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] })
  })

  it('Should choose the signed-in admin over the control API', async ({ expect }) => {
    const fake = operatorFake()
    const put = await fake.fetch(
      new Request(`${LOGIN}/_fake/apps/${APP_ID}/consenter`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          directoryId: FABRIKAM_ID,
          wids: [],
          preferredUsername: 'ann@fabrikam.com',
        }),
      })
    )
    expect(put.status).toBe(200)
    expect(await put.json()).toMatchObject({
      signedIn: { directoryId: FABRIKAM_ID, wids: [], preferredUsername: 'ann@fabrikam.com' },
    })
    const { body } = await redeem(
      fake,
      await codeOf(fake, authorizeUrl({}, FABRIKAM_ID)),
      {},
      FABRIKAM_ID
    )
    expect(payloadOf(body.id_token)).toMatchObject({ tid: FABRIKAM_ID, wids: [] })
  })
})
