/**
 * @module One Graph GET as the client makes it: the bearer token only for the Graph origin,
 * `x-ms-throttle-priority: Low` (background sync, docs/graph-sync.md §8), `ConsistencyLevel:
 * eventual` on casts and their nextLinks (docs/graph-sync.md §4), inline retries, one token
 * renewal on a 401 with a cached token, and the body checked against a schema.
 */
import type { z } from 'zod'
import {
  badResponse,
  GraphError,
  graphFailure,
  type CallContext,
  type FailureContext,
} from './errors'
import { readJson, sendWithRetry, type HttpDeps, type InlineWaits, type RetryPolicy } from './http'
import { needsEventualConsistency } from './query'
import { graphErrorSchema, pageSchema } from './schemas'
import type { TokenProvider } from './token'

/** What every Graph call of one client shares. */
export interface GraphSession {
  policy: RetryPolicy
  /** The client's inline waits so far, against `policy.maxInlineWaitTotalMs`. */
  waits: InlineWaits
  /** graphBaseUrl parsed, e.g. https://graph.microsoft.com/v1.0 */
  base: URL
  credentials: FailureContext
  deps: HttpDeps
  tokens: TokenProvider
  /** Graph HTTP requests made, retries included. */
  requestsMade: number
}

/** One parsed page plus where it came from. */
export interface ParsedPage<T> {
  items: T[]
  nextLink: string | undefined
  call: CallContext
}

/** The call for messages: method and path relative to the base URL, e.g. "/groups/{id}". */
function callOf(session: GraphSession, url: URL, requestId: string | undefined): CallContext {
  const prefix = session.base.pathname
  const path = url.pathname.startsWith(prefix)
    ? url.pathname.slice(prefix.length) || '/'
    : url.pathname
  return { ...session.credentials, method: 'GET', path, requestId }
}

/** nextLinks are followed verbatim, but the bearer token only ever goes to the Graph origin. */
function graphUrl(session: GraphSession, raw: string): URL {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (url?.origin !== session.base.origin) {
    const message = `Refusing to call ${raw}: it is not on ${session.base.origin}`
    throw new GraphError(badResponse(message, undefined, undefined))
  }
  return url
}

function send(session: GraphSession, url: URL, accessToken: string): Promise<Response> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${accessToken}`,
    Accept: 'application/json',
    'x-ms-throttle-priority': 'Low',
  }
  if (needsEventualConsistency(url)) headers['ConsistencyLevel'] = 'eventual'
  const what = `GET ${callOf(session, url, undefined).path}`
  const make = (): Request => new Request(url.href, { headers })
  const counted = () => session.requestsMade++
  return sendWithRetry(make, session.policy, session.deps, what, counted, session.waits)
}

/** GET with the cached token; a 401 on a cached token gets one retry with a new token. */
async function graphGet(
  session: GraphSession,
  raw: string
): Promise<{ body: unknown; call: CallContext }> {
  const url = graphUrl(session, raw)
  const first = await session.tokens.current()
  let response = await send(session, url, first.accessToken)
  if (response.status === 401 && !first.fresh) {
    await response.body?.cancel()
    response = await send(session, url, await session.tokens.renew())
  }
  const call = callOf(session, url, response.headers.get('request-id') ?? undefined)
  const body = await readJson(response)
  if (!response.ok) {
    const error = graphErrorSchema.safeParse(body).data
    throw new GraphError(graphFailure(response.status, error, call))
  }
  return { body, call }
}

const summarize = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')

/** GETs `raw` and parses the body with `schema` (badResponse when it does not match). */
export async function getParsed<S extends z.ZodType>(
  session: GraphSession,
  raw: string,
  schema: S
): Promise<{ data: z.output<S>; call: CallContext }> {
  const { body, call } = await graphGet(session, raw)
  const result = schema.safeParse(body)
  if (!result.success) {
    const where = `${call.method} ${call.path}`
    const message = `Graph returned an unexpected body for ${where}: ${summarize(result.error)}`
    throw new GraphError(badResponse(message, 200, call.requestId))
  }
  return { data: result.data, call }
}

/** GETs one collection page of `item`s. */
export async function getPage<S extends z.ZodType>(
  session: GraphSession,
  raw: string,
  item: S
): Promise<ParsedPage<z.output<S>>> {
  const { data, call } = await getParsed(session, raw, pageSchema(item))
  return { items: data.value, nextLink: data['@odata.nextLink'], call }
}
