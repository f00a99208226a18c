/**
 * @module The fake token endpoint's authorization code grant (OpenID Connect sign-in of
 * signin.ts): `POST /{tenant}/oauth2/v2.0/token` with `grant_type=authorization_code`, `client_id`,
 * `client_secret`, `code`, `redirect_uri` (and `scope`). A code is redeemed once (AADSTS54005
 * after), within its lifetime (AADSTS70008), by the client it was issued to (AADSTS70000), with
 * the redirect URI it was asked with (AADSTS500112) and at the tenant it was asked for
 * (AADSTS700005); an unknown code is AADSTS9002313. The answer carries an `id_token` when the
 * authorize request asked for `openid`: a JWT whose payload is real base64url JSON with the
 * claims of a v2.0 ID token (`aud`, `iss` = `{origin}/{tid}/v2.0`, `tid`, `oid`, `sub`,
 * `preferred_username`, `nonce`, `wids`, `iat`, `nbf`, `exp`, `ver`) and whose signature is fake:
 * a client that received it straight from the token endpoint need not check it.
 */
import type { IssuedCode } from './state.ts'
import { nextGuid, nowMs, type FakeState } from './state.ts'
import { missing, tokenError, type TokenProblem } from './token-errors.ts'
import { plainJson } from './wire.ts'

const ID_TOKEN_LIFETIME_S = 3600
const ACCESS_TOKEN_LIFETIME_S = 3599

const invalidGrant = (code: number, description: string): TokenProblem => ({
  status: 400,
  error: 'invalid_grant',
  code,
  description,
})

/** The client's own problem: unknown, or without the right secret. */
function clientProblem(state: FakeState, form: URLSearchParams, tenant: string) {
  const clientId = form.get('client_id') ?? ''
  if (clientId === '') return missing('client_id')
  const app = state.apps.get(clientId)
  if (app === undefined)
    return {
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      description: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    } satisfies TokenProblem
  const secret = form.get('client_secret') ?? ''
  if (secret === '')
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      description:
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    } satisfies TokenProblem
  if (secret !== app.clientSecret)
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    } satisfies TokenProblem
  return undefined
}

/** The code's problem when this request may not redeem it. */
function codeProblem(
  state: FakeState,
  issued: IssuedCode | undefined,
  form: URLSearchParams,
  tenant: string
): TokenProblem | undefined {
  if (issued === undefined)
    return invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.')
  if (issued.redeemed)
    return invalidGrant(
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'
    )
  if (issued.expiresAtMs <= nowMs(state))
    return invalidGrant(
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'
    )
  if (issued.clientId !== form.get('client_id'))
    return invalidGrant(70000, 'Provided grant is invalid or malformed.')
  if (issued.tenant !== tenant)
    return invalidGrant(
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.'
    )
  const redirectUri = form.get('redirect_uri') ?? ''
  if (issued.redirectUri !== redirectUri)
    return invalidGrant(
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${issued.redirectUri}' provided when requesting Authorization code.`
    )
  return undefined
}

const base64Url = (text: string): string => {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The ID token of a redeemed code: real claims, fake signature. */
function idToken(state: FakeState, issued: IssuedCode, origin: string): string {
  const { admin } = issued
  const iat = Math.floor(nowMs(state) / 1000)
  const claims = {
    aud: issued.clientId,
    iss: `${origin}/${admin.directoryId}/v2.0`,
    iat,
    nbf: iat,
    exp: iat + ID_TOKEN_LIFETIME_S,
    name: admin.preferredUsername.split('@')[0] ?? admin.preferredUsername,
    oid: admin.oid,
    preferred_username: admin.preferredUsername,
    sub: nextGuid(state, '5b00'),
    tid: admin.directoryId,
    uti: nextGuid(state, '0710'),
    ver: '2.0',
    ...(issued.nonce === null ? {} : { nonce: issued.nonce }),
    ...(admin.wids === null ? {} : { wids: admin.wids }),
    ...admin.claimOverrides,
  }
  const header = { typ: 'JWT', alg: 'RS256', kid: 'fake-signing-key' }
  return [header, claims].map((part) => base64Url(JSON.stringify(part))).join('.') + '.ZmFrZQ'
}

/** Answers the authorization code grant at `POST /{tenant}/oauth2/v2.0/token`. */
export function codeGrantResponse(
  state: FakeState,
  tenant: string,
  form: URLSearchParams,
  origin: string
): Response {
  const code = form.get('code') ?? ''
  const issued = state.codes.get(code)
  const problem =
    clientProblem(state, form, tenant) ??
    (code === '' ? missing('code') : undefined) ??
    ((form.get('redirect_uri') ?? '') === '' ? missing('redirect_uri') : undefined) ??
    codeProblem(state, issued, form, tenant)
  if (problem !== undefined || issued === undefined)
    return tokenError(state, problem ?? invalidGrant(9002313, 'Invalid request.'))
  issued.redeemed = true
  const openid = issued.scope.split(' ').includes('openid')
  return plainJson({
    token_type: 'Bearer',
    scope: issued.scope,
    expires_in: ACCESS_TOKEN_LIFETIME_S,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_S,
    // A delegated token the fake's Graph does not accept: the sign-in only needs the ID token.
    access_token: `fakeuser.${issued.admin.directoryId}.${nextGuid(state, 'acce')}`,
    ...(openid ? { id_token: idToken(state, issued, origin) } : {}),
  })
}
