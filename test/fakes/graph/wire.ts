/**
 * @module Wire details shared by the fake's Graph and token endpoints: deterministic ids (no
 * randomness, so test runs repeat exactly), the Graph error body with its innerError
 * (docs/graph-sync.md §11) and the JSON content type Graph answers with.
 */

/** Graph's JSON content type (OData minimal metadata). */
const GRAPH_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

/** What every Graph response of one request carries: its ids and the fake clock's date. */
export interface RequestInfo {
  requestId: string
  clientRequestId: string
  /** innerError.date, e.g. "2025-01-01T00:00:00" (UTC, no zone suffix, as Graph sends it). */
  date: string
}

/** A thrown Graph error; route handlers throw it and the app turns it into the error body. */
export class GraphProblem extends Error {
  readonly status: number
  readonly code: string
  readonly headers: Readonly<Record<string, string>>

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'GraphProblem'
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/** The error code Graph uses for a status when nothing more specific applies (graph/errors). */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'Request_BadRequest'
    case 401:
      return 'InvalidAuthenticationToken'
    case 403:
      return 'Authorization_RequestDenied'
    case 404:
      return 'Request_ResourceNotFound'
    case 429:
      return 'TooManyRequests'
    case 503:
      return 'serviceNotAvailable'
    case 504:
      return 'gatewayTimeout'
    default:
      return status >= 500 ? 'generalException' : 'UnknownError'
  }
}

/** A GUID-shaped id from a counter: unique within one fake, identical across runs. */
export function counterGuid(prefix: string, n: number): string {
  const hex = n.toString(16).padStart(12, '0')
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${hex}`
}

/** "2025-01-01T00:00:00", the innerError date format. */
export const graphDate = (ms: number): string => new Date(ms).toISOString().slice(0, 19)

/** "2025-01-01 00:00:00Z", the token endpoint's timestamp format. */
export const tokenTimestamp = (ms: number): string =>
  `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`

function graphHeaders(info: RequestInfo, extra: Readonly<Record<string, string>>): Headers {
  const headers = new Headers({
    'Content-Type': GRAPH_CONTENT_TYPE,
    'request-id': info.requestId,
    'client-request-id': info.clientRequestId,
  })
  for (const [name, value] of Object.entries(extra)) headers.set(name, value)
  return headers
}

/** A successful Graph JSON response with the request-id headers. */
export function graphJson(
  info: RequestInfo,
  body: unknown,
  extraHeaders: Readonly<Record<string, string>> = {}
): Response {
  const headers = graphHeaders(info, extraHeaders)
  return new Response(JSON.stringify(body), { status: 200, headers })
}

/** A Graph error response: `{"error":{"code","message","innerError":{date,request-id,…}}}`. */
export function graphError(info: RequestInfo, problem: GraphProblem): Response {
  const body = {
    error: {
      code: problem.code,
      message: problem.message,
      innerError: {
        date: info.date,
        'request-id': info.requestId,
        'client-request-id': info.clientRequestId,
      },
    },
  }
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: graphHeaders(info, problem.headers),
  })
}

/** A plain JSON response (token endpoint and control API). */
export function plainJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {}
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  })
}
