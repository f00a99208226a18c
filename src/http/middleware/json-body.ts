/**
 * @module Reads a request body once, before any validator parses it, and settles two things the
 * validators cannot: its JSON nesting depth (see lib/json-depth), because the parser and
 * everything after it recurse over the document, and its media type, because a validator reads
 * a body of any other type as an empty object and then blames a missing attribute. Used by the
 * SCIM endpoint, the admin API and the agent API, after their body-size limits.
 */
import { createMiddleware } from 'hono/factory'
import type { HonoTypes } from '../../env'
import { MAX_JSON_DEPTH, deepestNestingAt } from '../../lib/json-depth'
import { ScimError, badRequest } from '../../scim/errors'

/** Methods whose body the endpoints read; a body on any other method is ignored. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])

/** `application/json`, `application/scim+json` and every other `+json` type (RFC 6839 §3.1). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/

const mediaTypeOf = (header: string | undefined): string =>
  (header ?? '').split(';')[0]?.trim().toLowerCase() ?? ''

/**
 * Checks the body of a POST, PUT or PATCH:
 * - nested deeper than {@link MAX_JSON_DEPTH}: 400 (RFC 7644 §3.12 `invalidSyntax` on SCIM);
 * - declared as JSON (RFC 7644 §3.1: `application/scim+json` or `application/json`): passed on;
 * - sent without a type or as another type (`text/plain`, a form type), as IdPs and scripts do:
 *   read as JSON when it is a JSON object or array, else 415 saying what to send.
 * An empty body is left to the route. The admin and agent APIs keep the status and message.
 */
export const jsonBody = createMiddleware<HonoTypes>(async (c, next) => {
  if (!BODY_METHODS.has(c.req.method) || c.req.raw.body === null) return next()
  const text = await c.req.text()
  if (text.trim() === '') return next()
  const declared = mediaTypeOf(c.req.header('Content-Type'))
  const typed = JSON_MEDIA_TYPE.test(declared)
  if (!typed && !/^\s*[[{]/.test(text)) throw unsupported(declared)
  assertDepth(text)
  if (!typed) {
    if (!parses(text)) throw unsupported(declared)
    const headers = new Headers(c.req.raw.headers)
    headers.set('Content-Type', 'application/json')
    c.req.raw = new Request(c.req.raw, { headers, body: text })
  }
  await next()
})

function assertDepth(text: string): void {
  const at = deepestNestingAt(text, MAX_JSON_DEPTH)
  if (at === undefined) return
  throw badRequest(
    'invalidSyntax',
    `The request body nests objects or arrays more than ${String(MAX_JSON_DEPTH)} levels ` +
      `deep (at character ${String(at + 1)}); at most ${String(MAX_JSON_DEPTH)} are accepted`
  )
}

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const unsupported = (declared: string): ScimError =>
  new ScimError(
    415,
    `The request body is ${declared === '' ? 'sent without a Content-Type' : `sent as "${declared}"`} ` +
      'and is not JSON; send a JSON body with Content-Type application/scim+json or application/json'
  )
