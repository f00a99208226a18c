/**
 * Whether the sign-in's ID token proves an admin consent: it must be for this service (`aud`),
 * unexpired, of this attempt (`nonce`), of the directory the consent named (`tid` and its v2.0
 * `iss`), and of a Global or Privileged Role Administrator there (`wids`). Anything else, or a
 * token that is not a readable JWT, is refused with the reason.
 */
import { describe, it } from 'vitest'
import {
  checkConsentIdToken,
  type IdTokenExpectation,
} from '../../../../src/http/console/consent-id-token'
import { base64Url } from '../../../../src/lib/ids'

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0)
const CLIENT = '33333333-3333-4333-8333-333333333333'
const DIRECTORY = '4e5b7f1a-0c2d-4e3f-8a9b-0c1d2e3f4a5b'
const OTHER = '11111111-1111-4111-8111-111111111111'
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10'
const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814'
const CLOUD_APPLICATION_ADMINISTRATOR = '158c047a-c907-4556-b7ef-446551a6b5f7'

const expected: IdTokenExpectation = {
  clientId: CLIENT,
  directoryId: DIRECTORY,
  nonce: 'n0nce0000000000000000001',
  loginBaseUrl: 'https://login.microsoftonline.com/',
  nowMs: NOW,
}

const claims = {
  aud: CLIENT,
  iss: `https://login.microsoftonline.com/${DIRECTORY}/v2.0`,
  iat: NOW / 1000 - 5,
  nbf: NOW / 1000 - 5,
  exp: NOW / 1000 + 3600,
  nonce: 'n0nce0000000000000000001',
  oid: '00000000-0000-4000-8000-00000000000a',
  preferred_username: 'megan@contoso.com',
  tid: DIRECTORY,
  ver: '2.0',
  wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509', GLOBAL_ADMINISTRATOR],
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const part = (value: unknown): string => base64Url(utf8(JSON.stringify(value)))

/** A compact JWT with a signature nobody checks (the token came straight from the endpoint). */
const jwt = (payload: unknown): string =>
  `${part({ typ: 'JWT', alg: 'RS256', kid: 'k' })}.${part(payload)}.c2lnbmF0dXJl`

describe('consent ID token', () => {
  it('Should accept an administrator of the directory that consented', ({ expect }) => {
    expect(checkConsentIdToken(jwt(claims), expected)).toEqual({
      ok: true,
      admin: {
        directoryId: DIRECTORY,
        username: 'megan@contoso.com',
        role: 'Global Administrator',
      },
    })
    const pra = checkConsentIdToken(
      jwt({ ...claims, wids: [PRIVILEGED_ROLE_ADMINISTRATOR] }),
      expected
    )
    expect(pra).toMatchObject({ ok: true, admin: { role: 'Privileged Role Administrator' } })
  })

  it('Should take the directory id in any case', ({ expect }) => {
    const upper = { ...claims, tid: DIRECTORY.toUpperCase() }
    expect(checkConsentIdToken(jwt(upper), expected).ok).toBe(true)
  })

  it.for([
    [
      'another directory',
      { tid: OTHER, iss: `https://login.microsoftonline.com/${OTHER}/v2.0` },
      { reason: 'directory', tid: OTHER, username: 'megan@contoso.com' },
    ],
    ['another application', { aud: OTHER }, { reason: 'audience', audience: OTHER }],
    ['another nonce', { nonce: 'n0nce0000000000000000002' }, { reason: 'nonce' }],
    ['no nonce', { nonce: undefined }, { reason: 'nonce' }],
    ['an expired token', { exp: NOW / 1000 }, { reason: 'expired' }],
    [
      'the v1.0 issuer',
      { iss: `https://sts.windows.net/${DIRECTORY}/` },
      { reason: 'issuer', issuer: `https://sts.windows.net/${DIRECTORY}/` },
    ],
    [
      "another directory's issuer",
      { iss: `https://login.microsoftonline.com/${OTHER}/v2.0` },
      { reason: 'issuer', issuer: `https://login.microsoftonline.com/${OTHER}/v2.0` },
    ],
    ['no roles', { wids: undefined }, { reason: 'roles-unknown', username: 'megan@contoso.com' }],
    [
      'a Cloud Application Administrator',
      { wids: [CLOUD_APPLICATION_ADMINISTRATOR] },
      { reason: 'not-admin', username: 'megan@contoso.com' },
    ],
    ['no role at all', { wids: [] }, { reason: 'not-admin', username: 'megan@contoso.com' }],
  ] as const)('Should refuse %s', ([, changes, refusal], { expect }) => {
    expect(checkConsentIdToken(jwt({ ...claims, ...changes }), expected)).toEqual({
      ok: false,
      refusal,
    })
  })

  it('Should name the account by its object id when it has no username', ({ expect }) => {
    const token = jwt({ ...claims, preferred_username: undefined, wids: [] })
    expect(checkConsentIdToken(token, expected)).toEqual({
      ok: false,
      refusal: { reason: 'not-admin', username: claims.oid },
    })
  })

  it.for([
    ['an empty string', ''],
    ['two parts', `${part({})}.${part(claims)}`],
    ['a payload that is not base64url', `${part({})}.not*base64.sig`],
    ['a payload that is not JSON', `${part({})}.${base64Url(utf8('{nope'))}.sig`],
    ['a payload that is not UTF-8', `${part({})}.${base64Url(new Uint8Array([0xff, 0xfe]))}.sig`],
    ['a payload without tid', jwt({ ...claims, tid: undefined })],
    ['a payload with a string exp', jwt({ ...claims, exp: 'soon' })],
    ['roles that are not a list', jwt({ ...claims, wids: GLOBAL_ADMINISTRATOR })],
  ] as const)('Should refuse %s as malformed', ([, token], { expect }) => {
    expect(checkConsentIdToken(token, expected)).toEqual({
      ok: false,
      refusal: { reason: 'malformed' },
    })
  })
})
