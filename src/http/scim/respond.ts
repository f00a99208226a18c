/**
 * @module SCIM responses: every body is `application/scim+json` (RFC 7644 §3.1), resources carry
 * their ETag, and errors use the RFC 7644 §3.12 shape.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ScimError, toErrorBody } from '../../scim/errors'

export const SCIM_MEDIA_TYPE = 'application/scim+json'

export function scimJson(
  c: Context,
  body: unknown,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {}
): Response {
  return c.body(JSON.stringify(body), status, { 'Content-Type': SCIM_MEDIA_TYPE, ...headers })
}

export function scimErrorResponse(error: ScimError, requestId: string | undefined): Response {
  const headers = new Headers({ 'Content-Type': SCIM_MEDIA_TYPE, ...error.headers })
  if (requestId) headers.set('X-Request-Id', requestId)
  return new Response(JSON.stringify(toErrorBody(error)), { status: error.status, headers })
}
