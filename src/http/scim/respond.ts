/**
 * @module SCIM responses: every body is `application/scim+json` (RFC 7644 §3.1), resources carry
 * their ETag, and errors use the RFC 7644 §3.12 shape.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { SCIM_MEDIA_TYPE } from '../../scim/constants'
import { ScimError, toErrorBody } from '../../scim/errors'

export function scimJson(
  c: Context,
  body: unknown,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {}
): Response {
  return c.body(JSON.stringify(body), status, { 'Content-Type': SCIM_MEDIA_TYPE, ...headers })
}

/**
 * The handler for the methods a SCIM path does not serve: 405 with `Allow` (RFC 9110 §15.5.6)
 * as an RFC 7644 §3.12 error, so a client learns the path exists and what it accepts (HEAD
 * comes with GET). Registered after the path's own routes.
 */
export function methodNotAllowed(...allowed: string[]): (c: Context) => never {
  const allow = (allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed).join(', ')
  return (c) => {
    const path = new URL(c.req.url).pathname
    throw new ScimError(
      405,
      `${c.req.method} is not supported at ${path}; it accepts ${allow}`,
      undefined,
      { Allow: allow }
    )
  }
}

export function scimErrorResponse(error: ScimError, requestId: string | undefined): Response {
  const headers = new Headers({ 'Content-Type': SCIM_MEDIA_TYPE, ...error.headers })
  if (requestId) headers.set('X-Request-Id', requestId)
  return new Response(JSON.stringify(toErrorBody(error)), { status: error.status, headers })
}
