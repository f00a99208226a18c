/**
 * @module App-only access tokens for Graph (OAuth 2.0 client credentials against the identity
 * platform v2.0 endpoint, docs/graph-sync.md §1). Tokens are cached (in the injected cache when
 * given, so several clients of one tenant can share one) and renewed 5 minutes, or 10% of the
 * lifetime when that is shorter, before `expires_in` runs out. No refresh tokens in this flow.
 */
import { badResponse, GraphError, tokenFailure } from './errors'
import { readJson, sendWithRetry, type HttpDeps, type InlineWaits, type RetryPolicy } from './http'
import { tokenErrorSchema, tokenSuccessSchema } from './schemas'

/** An app-only token's scope: every application permission consented (docs/graph-sync.md §1). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default'

const MAX_REFRESH_MARGIN_MS = 5 * 60_000

export interface CachedToken {
  accessToken: string
  expiresAtMs: number
  /** After this instant the token is renewed before use. */
  refreshAtMs: number
}

export interface TokenCache {
  get(): CachedToken | undefined
  set(token: CachedToken): void
}

export interface GraphCredentials {
  /** Directory (tenant) id, or a verified domain of the tenant. */
  directoryId: string
  clientId: string
  clientSecret: string
}

export interface TokenProvider {
  /** A usable token; `fresh` = it was obtained for this call (not taken from the cache). */
  current(): Promise<{ accessToken: string; fresh: boolean }>
  /** Drops the cached token and obtains a new one (after Graph rejected the cached one). */
  renew(): Promise<string>
  /** Token endpoint HTTP requests made, retries included. */
  readonly requestsMade: number
}

/** How long before expiry a token of the given lifetime is renewed. */
export const refreshMarginMs = (lifetimeMs: number): number =>
  Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1)

function memoryCache(): TokenCache {
  let token: CachedToken | undefined
  return {
    get: () => token,
    set: (t) => {
      token = t
    },
  }
}

export interface TokenSettings extends RetryPolicy {
  tokenBaseUrl: string
}

/** The token request (a fresh Request each time: bodies are single-use). */
function tokenRequest(settings: TokenSettings, credentials: GraphCredentials): () => Request {
  const tenant = encodeURIComponent(credentials.directoryId)
  const url = `${settings.tokenBaseUrl.replace(/\/+$/, '')}/${tenant}/oauth2/v2.0/token`
  const form = new URLSearchParams({
    client_id: credentials.clientId,
    scope: GRAPH_SCOPE,
    client_secret: credentials.clientSecret,
    grant_type: 'client_credentials',
  }).toString()
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  }
  return () => new Request(url, { method: 'POST', headers, body: form })
}

/** The token of a token endpoint response, or the credentials/badResponse failure. */
async function tokenOf(
  response: Response,
  credentials: GraphCredentials,
  issuedAt: number
): Promise<CachedToken> {
  const body = await readJson(response)
  if (!response.ok) {
    const error = tokenErrorSchema.safeParse(body).data
    throw new GraphError(tokenFailure(response.status, error, credentials))
  }
  const parsed = tokenSuccessSchema.safeParse(body)
  if (!parsed.success) {
    const message = `The token endpoint returned an unexpected body for directory ${credentials.directoryId}`
    throw new GraphError(badResponse(message, response.status, undefined))
  }
  const lifetimeMs = parsed.data.expires_in * 1000
  return {
    accessToken: parsed.data.access_token,
    expiresAtMs: issuedAt + lifetimeMs,
    refreshAtMs: issuedAt + lifetimeMs - refreshMarginMs(lifetimeMs),
  }
}

/**
 * A provider for one tenant; concurrent callers share a single in-flight token request. `waits`
 * is its client's, so token retries count against the client's inline total too.
 */
export function createTokenProvider(
  settings: TokenSettings,
  credentials: GraphCredentials,
  deps: HttpDeps,
  cache: TokenCache = memoryCache(),
  waits: InlineWaits = { sleptMs: 0 }
): TokenProvider {
  let inFlight: Promise<CachedToken> | undefined
  let requestsMade = 0
  const make = tokenRequest(settings, credentials)
  const what = `the token request for directory ${credentials.directoryId}`

  async function obtain(): Promise<CachedToken> {
    const counted = () => requestsMade++
    const response = await sendWithRetry(make, settings, deps, what, counted, waits)
    const token = await tokenOf(response, credentials, deps.now())
    cache.set(token)
    return token
  }

  const renewShared = (): Promise<CachedToken> =>
    (inFlight ??= obtain().finally(() => {
      inFlight = undefined
    }))

  return {
    async current() {
      const cached = cache.get()
      if (cached !== undefined && deps.now() < cached.refreshAtMs) {
        return { accessToken: cached.accessToken, fresh: false }
      }
      return { accessToken: (await renewShared()).accessToken, fresh: true }
    },
    renew: async () => (await renewShared()).accessToken,
    get requestsMade() {
      return requestsMade
    },
  }
}
