/**
 * @module Failures of the Microsoft Graph client as one discriminated union, with messages an IT
 * admin can act on: which setting (directory id, client id, secret) or which application
 * permission is wrong (docs/graph-sync.md §1, §2, §8). AADSTS codes only choose the wording of a
 * message, never the kind of failure: Microsoft says their text may change
 * (docs/graph-sync.md §1).
 */
import type { GraphErrorBody, GraphTokenError } from './schemas'

interface FailureBase {
  /** Admin-facing explanation, naming the setting or permission to fix where known. */
  message: string
  /** HTTP status of the last response, when there was one. */
  status?: number | undefined
  /** Graph `request-id` (or the token endpoint's trace id), for support tickets. */
  requestId?: string | undefined
  /** Graph error code or OAuth error, e.g. "Authorization_RequestDenied", "invalid_client". */
  code?: string | undefined
}

export type GraphFailure =
  /** Wrong directory id, client id or secret, missing consent or permission: an admin must act. */
  | (FailureBase & { kind: 'credentials' })
  /** 429 beyond the inline retry budget; resume after retryAfterMs. */
  | (FailureBase & { kind: 'throttled'; retryAfterMs: number })
  /** 5xx or network failure beyond the inline retry budget; resume after retryAfterMs. */
  | (FailureBase & { kind: 'unavailable'; retryAfterMs: number })
  /** The object (usually a saved group id) no longer exists. */
  | (FailureBase & { kind: 'notFound' })
  /** A status or body the client does not expect (schema mismatch, unsupported query, …). */
  | (FailureBase & { kind: 'badResponse' })

/** Thrown by the Graph client; `failure` says what went wrong and whether to retry later. */
export class GraphError extends Error {
  readonly failure: GraphFailure

  constructor(failure: GraphFailure) {
    super(failure.message)
    this.name = 'GraphError'
    this.failure = failure
  }
}

/** The tenant and application a failure is about. */
export interface FailureContext {
  directoryId: string
  clientId: string
}

function aadstsCode(body: GraphTokenError): number | undefined {
  const listed = body.error_codes?.[0]
  if (listed !== undefined) return listed
  const match = /AADSTS(\d+)/.exec(body.error_description ?? '')
  return match?.[1] === undefined ? undefined : Number(match[1])
}

function tokenMessage(
  code: number | undefined,
  error: string,
  body: GraphTokenError,
  ctx: FailureContext
): string {
  const tag = code === undefined ? error : `AADSTS${String(code)}`
  if (code === 90002 || code === 900023) {
    return `Microsoft Entra does not know the directory (tenant) ${ctx.directoryId} (${tag}): check the directory id of the instance`
  }
  if (code === 700016 || error === 'unauthorized_client') {
    return `Microsoft Entra does not know application ${ctx.clientId} in directory ${ctx.directoryId} (${tag}): check the client (application) id of the instance and that an administrator of that directory granted admin consent`
  }
  if (error === 'invalid_client') {
    return `Microsoft Entra rejected the client secret (${tag}): the secret is wrong or expired; create a new secret for application ${ctx.clientId} and update the instance`
  }
  const detail = (body.error_description ?? '').split(/\r?\n/)[0] ?? ''
  return `Microsoft Entra refused a token for application ${ctx.clientId} in directory ${ctx.directoryId} (${tag}): ${detail}`
}

/** A token endpoint error response (400/401 = credentials; anything else = badResponse). */
export function tokenFailure(
  status: number,
  body: GraphTokenError | undefined,
  ctx: FailureContext
): GraphFailure {
  const error = body?.error ?? 'unknown_error'
  const base = { status, requestId: body?.trace_id, code: error }
  // invalid_scope is this client's bug, not something an admin can fix.
  if ((status === 400 || status === 401) && body !== undefined && error !== 'invalid_scope') {
    const message = tokenMessage(aadstsCode(body), error, body, ctx)
    return { kind: 'credentials', message, ...base }
  }
  const detail = body?.error_description ?? 'no error body'
  const message = `The token endpoint answered ${String(status)} (${error}): ${detail}`
  return { kind: 'badResponse', message, ...base }
}

/** The application permission a Graph path needs (docs/graph-sync.md §2). */
function permissionFor(path: string): string {
  if (/^\/groups\/[^/]+\/(members|transitiveMembers)/.test(path)) {
    return 'GroupMember.Read.All (and User.Read.All)'
  }
  if (path.startsWith('/groups')) return 'GroupMember.Read.All (or Group.Read.All)'
  if (path.startsWith('/users')) return 'User.Read.All'
  return 'Directory.Read.All'
}

/** Where a Graph failure happened: "GET /groups/{id}/members" and the response's request-id. */
export interface CallContext extends FailureContext {
  method: string
  path: string
  requestId: string | undefined
}

function graphMessage(
  status: number,
  where: string,
  body: GraphErrorBody | undefined,
  call: CallContext
): string {
  switch (status) {
    case 401:
      return `Graph rejected a freshly issued token for ${where}: check that application ${call.clientId} has admin consent in directory ${call.directoryId}`
    case 403:
      return `Graph denied ${where}: grant the application permission ${permissionFor(call.path)} with admin consent`
    case 404:
      return `Graph has no object at ${where}: it was deleted or the saved id is wrong`
    default:
      return `Graph answered ${where}: ${body?.error.message ?? 'unexpected response'}`
  }
}

/** A non-transient Graph error response (401 after a fresh token, 403, 404, other 4xx/5xx). */
export function graphFailure(
  status: number,
  body: GraphErrorBody | undefined,
  call: CallContext
): GraphFailure {
  const code = body?.error.code ?? 'no error body'
  const inner = body?.error.innerError ?? body?.error.innererror
  const where = `${call.method} ${call.path} (${String(status)} ${code})`
  const failure = {
    message: graphMessage(status, where, body, call),
    status,
    code,
    requestId: call.requestId ?? inner?.['request-id'],
  }
  if (status === 401 || status === 403) return { kind: 'credentials', ...failure }
  return status === 404 ? { kind: 'notFound', ...failure } : { kind: 'badResponse', ...failure }
}

/** A 429/5xx/network failure that outlasted the inline retries. */
export function transientFailure(
  status: number | undefined,
  retryAfterMs: number,
  requestId: string | undefined,
  what: string
): GraphFailure {
  const later = `retry after ${String(retryAfterMs)} ms`
  if (status === 429) {
    const message = `Microsoft Graph throttled ${what}; ${later}`
    return { kind: 'throttled', retryAfterMs, status, requestId, code: 'TooManyRequests', message }
  }
  const cause = status === undefined ? 'could not be reached for' : `answered ${String(status)} to`
  const message = `Microsoft Graph ${cause} ${what}; ${later}`
  return { kind: 'unavailable', retryAfterMs, status, requestId, message }
}

/** A 200 whose body does not match the expected schema, or another unexpected answer. */
export function badResponse(
  message: string,
  status: number | undefined,
  requestId: string | undefined
): GraphFailure {
  return { kind: 'badResponse', message, status, requestId }
}
