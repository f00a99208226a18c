/**
 * @module The fake Microsoft identity platform's OpenID Connect sign-in (authorization code flow,
 * v2.0) for the multi-tenant apps of consent.ts:
 * - `GET /{tenant}/oauth2/v2.0/authorize?client_id&response_type=code&redirect_uri&scope&state
 *   &nonce&prompt` answers 302 to `redirect_uri?code=…&state=…&session_state=…`. An unknown
 *   client or a redirect URI the app does not list is an AADSTS error page, never a redirect;
 *   other errors go to the redirect URI as `error`, `error_description` and `state`
 *   (RFC 6749 §4.1.2.1): invalid_request for a missing response_type or scope,
 *   unsupported_response_type for anything but `code`, and for `prompt=none` (no page may be
 *   shown) login_required when nobody is signed in (AADSTS50058) or interaction_required when the
 *   admin must do more first (AADSTS50076).
 * - Who signs in is the app's signed-in admin (set with the consenter, control API); the fake
 *   has no sign-in page, so without one an interactive request is an AADSTS50058 page.
 * - The fake has no B2B guests and signs the admin in whatever directory the path names: the ID
 *   token's `tid` says where the account lives (Entra would refuse a member of another directory
 *   with AADSTS50020). A client must decide by the token's claims, never by the path it asked.
 * - A code is single use, lives 10 minutes, and is redeemed only by its client, with its redirect
 *   URI, at the token endpoint of the tenant it was asked for (code-grant.ts).
 */
import { aadsts, answer, checkClient, errorPage, isGeneric } from './login.ts'
import {
  nextGuid,
  nowMs,
  type FakeState,
  type MultiTenantApp,
  type SignedInAdmin,
} from './state.ts'

/** How long an authorization code may wait to be redeemed. */
const CODE_LIFETIME_MS = 10 * 60_000

type Problem = [error: string, code: number, message: string]

const missing = (name: string): Problem => [
  'invalid_request',
  900144,
  `The request body must contain the following parameter: '${name}'.`,
]

/** What is wrong with the request's own parameters, once client and redirect URI are known. */
function requestProblem(query: URLSearchParams): Problem | undefined {
  const responseType = query.get('response_type') ?? ''
  if (responseType === '') return missing('response_type')
  if (responseType !== 'code')
    return [
      'unsupported_response_type',
      700054,
      `response_type '${responseType}' is not enabled for the application.`,
    ]
  if ((query.get('scope') ?? '').trim() === '') return missing('scope')
  return undefined
}

/** Why a silent sign-in cannot be answered with a code (an interactive one would show a page). */
function signInProblem(
  app: MultiTenantApp,
  admin: SignedInAdmin | null,
  prompt: string | null
): Problem | undefined {
  const silent = prompt === 'none'
  if (admin === null)
    return silent
      ? [
          'login_required',
          50058,
          "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.",
        ]
      : undefined
  if (silent && admin.requiresInteraction)
    return [
      'interaction_required',
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${app.clientId}'.`,
    ]
  return undefined
}

/** Answers `GET /{tenant}/oauth2/v2.0/authorize`. */
export function authorizeResponse(state: FakeState, tenant: string, url: URL): Response {
  const query = url.searchParams
  if (!isGeneric(tenant) && !state.entries.has(tenant))
    return errorPage(state, 90002, `Tenant '${tenant}' not found.`)
  const client = checkClient(state, query, tenant)
  if (client instanceof Response) return client
  const { app, redirectUri } = client
  const returned = query.get('state')
  const admin = app.signedIn
  const problem = requestProblem(query) ?? signInProblem(app, admin, query.get('prompt'))
  if (problem !== undefined)
    return answer(redirectUri, [
      ['error', problem[0]],
      ['error_description', aadsts(state, problem[1], problem[2])],
      ['state', returned],
    ])
  // Only an interactive request reaches here without an admin: the page asks who signs in.
  if (admin === null)
    return errorPage(
      state,
      50058,
      `No administrator is signed in to the fake: choose one with PUT /_fake/apps/${app.clientId}/consenter.`
    )
  const code = `0.fake.${nextGuid(state, 'c0de')}.${String(state.counter)}`
  state.codes.set(code, {
    clientId: app.clientId,
    redirectUri,
    tenant,
    scope: query.get('scope') ?? '',
    nonce: query.get('nonce'),
    admin,
    expiresAtMs: nowMs(state) + CODE_LIFETIME_MS,
    redeemed: false,
  })
  return answer(redirectUri, [
    ['code', code],
    ['state', returned],
    ['session_state', nextGuid(state, '5e55')],
  ])
}
