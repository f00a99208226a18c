/**
 * @module The fake Microsoft identity platform token endpoint (client credentials grant,
 * docs/graph-sync.md §1; the authorization code grant is code-grant.ts) and the bearer-token
 * check of the fake Graph. A client is a directory's
 * own app registration, or a multi-tenant application in a directory that consented to it
 * (consent.ts). Error bodies have the v2.0 shape
 * `{error, error_description, error_codes, timestamp, trace_id, correlation_id}`
 * (docs/graph-sync.md §11).
 */
import { codeGrantResponse } from './code-grant.ts'
import { isGeneric } from './login.ts'
import { nowMs, type DirectoryEntry, type FakeState, type IssuedToken } from './state.ts'
import { missing, tokenError, type TokenProblem } from './token-errors.ts'
import { plainJson } from './wire.ts'

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default'
const DEFAULT_LIFETIME_SECONDS = 3599

function tenantNotFound(directoryId: string): TokenProblem {
  return {
    status: 400,
    error: 'invalid_request',
    code: 90002,
    description: `Tenant '${directoryId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  }
}

/**
 * The secret a client must present in this directory: the directory's own app registration's, or
 * a multi-tenant application's once this directory consented to it; undefined when the client
 * has no service principal here.
 */
function expectedSecret(
  state: FakeState,
  entry: DirectoryEntry,
  clientId: string
): string | undefined {
  const app = state.apps.get(clientId)
  if (app !== undefined)
    return app.consentedIn.has(entry.directoryId) ? app.clientSecret : undefined
  return clientId === entry.directory.clientId ? entry.directory.clientSecret : undefined
}

function clientProblem(
  state: FakeState,
  entry: DirectoryEntry,
  form: URLSearchParams
): TokenProblem | undefined {
  const clientId = form.get('client_id')
  if (clientId === null || clientId === '') return missing('client_id')
  const expected = expectedSecret(state, entry, clientId)
  if (expected === undefined) {
    return {
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      description: `Application with identifier '${clientId}' was not found in the directory '${entry.directoryId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    }
  }
  const secret = form.get('client_secret')
  if (secret === null || secret === '') {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000216,
      description:
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    }
  }
  if (secret !== expected) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    }
  }
  return undefined
}

function formProblem(
  state: FakeState,
  entry: DirectoryEntry,
  form: URLSearchParams
): TokenProblem | undefined {
  const grant = form.get('grant_type')
  if (grant === null || grant === '') return missing('grant_type')
  if (grant !== 'client_credentials') {
    return {
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
      description: `The app requested an unsupported grant type '${grant}'.`,
    }
  }
  const problem = clientProblem(state, entry, form)
  if (problem !== undefined) return problem
  const scope = form.get('scope')
  if (scope === null || scope === '') return missing('scope')
  if (scope !== GRAPH_SCOPE) {
    return {
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    }
  }
  return undefined
}

function issue(state: FakeState, entry: DirectoryEntry): Response {
  const lifetime = entry.faults.faults.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS
  state.counter++
  const accessToken = `fakegraph.${entry.directoryId}.${String(state.counter)}`
  state.tokens.set(accessToken, {
    directoryId: entry.directoryId,
    expiresAtMs: nowMs(state) + lifetime * 1000,
    uses: 0,
  })
  return plainJson({
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  })
}

/**
 * Answers `POST /{directoryId}/oauth2/v2.0/token` with a token or the AADSTS error; an
 * authorization code may also be redeemed at `organizations` or `common` if it was asked there.
 */
export async function tokenResponse(
  state: FakeState,
  directoryId: string,
  request: Request
): Promise<Response> {
  const form = new URLSearchParams(await request.text())
  const entry = state.entries.get(directoryId)
  const known = entry !== undefined || isGeneric(directoryId)
  if (known && form.get('grant_type') === 'authorization_code')
    return codeGrantResponse(state, directoryId, form, new URL(request.url).origin)
  if (entry === undefined) return tokenError(state, tenantNotFound(directoryId))
  const problem = formProblem(state, entry, form)
  return problem === undefined ? issue(state, entry) : tokenError(state, problem)
}

const EMPTY_TOKEN = 'Access token is empty.'
const EXPIRED_TOKEN = 'Lifetime validation failed, the token is expired.'

/** Outcome of the bearer check; `entry` is known whenever the token was one this fake issued. */
export type Authentication =
  | { ok: true; entry: DirectoryEntry; token: IssuedToken }
  | { ok: false; entry: DirectoryEntry | undefined; message: string }

/**
 * Checks `Authorization: Bearer …` and counts one use of the token. A token expires on the fake's
 * clock, or once used for `expireTokensAfterRequests` calls ("token expires mid-run").
 */
export function authenticate(state: FakeState, authorization: string | undefined): Authentication {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (match?.[1] === undefined) return { ok: false, entry: undefined, message: EMPTY_TOKEN }
  const token = state.tokens.get(match[1])
  const entry = token === undefined ? undefined : state.entries.get(token.directoryId)
  if (token === undefined || entry === undefined) {
    return { ok: false, entry: undefined, message: EXPIRED_TOKEN }
  }
  const limit = entry.faults.faults.expireTokensAfterRequests
  if (nowMs(state) >= token.expiresAtMs || (limit !== undefined && token.uses >= limit)) {
    return { ok: false, entry, message: EXPIRED_TOKEN }
  }
  token.uses++
  return { ok: true, entry, token }
}
