/**
 * @module The OpenID Connect sign-in that follows an admin consent answer (authorization code
 * flow against the identity platform's v2.0 endpoints of the directory the answer named): the
 * authorize URL the admin is sent to, and the server-to-server redemption of the code it answers
 * with, at that directory's token endpoint with the operator app's secret. The ID token that
 * comes back is judged by consent-id-token.ts.
 *
 * The first request carries `prompt=none`: the admin signed in to Microsoft moments ago to
 * consent, so their session there answers at once and nothing is asked twice. When it cannot be
 * answered silently (no session, several accounts, or an extra step such as MFA is due), the
 * identity platform answers with one of {@link SILENT_FAILURES} instead of showing a page, and
 * the console asks again without `prompt`, where Microsoft shows what it needs.
 */
import { z } from 'zod'
import { tokenErrorSchema } from '../../graph/schemas'
import type { SignInState } from './consent-state'

/** Errors a `prompt=none` request answers with when it would have to show a page (OIDC §3.1.2.6). */
export const SILENT_FAILURES: ReadonlySet<string> = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
])

/** `openid` for the ID token; `profile` so it names the account (`preferred_username`, `oid`). */
const SIGN_IN_SCOPE = 'openid profile'
const EXCHANGE_TIMEOUT_MS = 15_000

/** Where the operator app's requests go and come back. */
export interface SignInClient {
  /** GRAPH_TOKEN_URL: the identity platform's base URL. */
  loginBaseUrl: string
  clientId: string
  redirectUri: string
}

const base = (client: SignInClient): string => client.loginBaseUrl.replace(/\/+$/, '')

/** The authorize URL of a sign-in to the state's directory (silent unless it is interactive). */
export function signInUrl(client: SignInClient, signIn: SignInState, state: string): string {
  const query = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    response_mode: 'query',
    scope: SIGN_IN_SCOPE,
    state,
    nonce: signIn.nonce,
    ...(signIn.interactive ? {} : { prompt: 'none' }),
  })
  return `${base(client)}/${signIn.directoryId}/oauth2/v2.0/authorize?${query.toString()}`
}

/** What redeeming a code gave: the ID token, or why there is none. */
export type CodeRedemption =
  | { ok: true; idToken: string }
  | { ok: false; kind: 'refused'; error: string; description: string }
  | { ok: false; kind: 'unreachable'; detail: string }

const successSchema = z.object({ id_token: z.string().min(1).max(16_384) })

async function bodyOf(response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

/** What the token endpoint answered, read with zod. */
async function redemptionOf(response: Response): Promise<CodeRedemption> {
  const body = await bodyOf(response)
  if (response.ok) {
    const parsed = successSchema.safeParse(body)
    return parsed.success
      ? { ok: true, idToken: parsed.data.id_token }
      : { ok: false, kind: 'refused', error: 'no_id_token', description: 'It gave no ID token.' }
  }
  const error = tokenErrorSchema.safeParse(body).data
  if (error) return { ok: false, kind: 'refused', ...errorText(error) }
  return { ok: false, kind: 'unreachable', detail: `HTTP ${String(response.status)}` }
}

const errorText = (error: z.infer<typeof tokenErrorSchema>) => ({
  error: error.error.slice(0, 100),
  description: (error.error_description ?? '').slice(0, 2000),
})

/**
 * Redeems a sign-in's code at `/{directory}/oauth2/v2.0/token` (grant_type=authorization_code,
 * the operator app's client id and secret, the same redirect URI), once, without retries: a
 * code is single use, and a failure is shown to the admin, who can connect again.
 */
export async function redeemSignInCode(
  fetch: (request: Request) => Promise<Response>,
  client: SignInClient & { clientSecret: string },
  directoryId: string,
  code: string
): Promise<CodeRedemption> {
  const form = new URLSearchParams({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    scope: SIGN_IN_SCOPE,
  })
  const request = new Request(`${base(client)}/${directoryId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form.toString(),
    signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
  })
  try {
    return await redemptionOf(await fetch(request))
  } catch (error) {
    return { ok: false, kind: 'unreachable', detail: error instanceof Error ? error.name : 'error' }
  }
}
