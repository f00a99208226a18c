/**
 * @module Reads a request body once, before any validator parses it, and bounds its JSON nesting
 * depth (see lib/json-depth): the validators' parser and everything after it recurse over the
 * document, so a deeply nested body must be refused as text. Used by the SCIM endpoint, the
 * admin API and the agent API, after their body-size limits.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../../env'
import { MAX_JSON_DEPTH, deepestNestingAt } from '../../lib/json-depth'
import { badRequest } from '../../scim/errors'

/** Methods whose body the endpoints read; a body on any other method is ignored. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])

/**
 * Refuses a body nested deeper than {@link MAX_JSON_DEPTH} with 400 (RFC 7644 §3.12
 * `invalidSyntax` on SCIM; the admin and agent APIs keep the status and message).
 */
export const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!BODY_METHODS.has(c.req.method) || c.req.raw.body === null) return next()
  const text = await c.req.text()
  const at = deepestNestingAt(text, MAX_JSON_DEPTH)
  if (at !== undefined) {
    throw badRequest(
      'invalidSyntax',
      `The request body nests objects or arrays more than ${String(MAX_JSON_DEPTH)} levels ` +
        `deep (at character ${String(at + 1)}); at most ${String(MAX_JSON_DEPTH)} are accepted`
    )
  }
  await next()
})
