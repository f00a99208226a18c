/**
 * @module Builds the Hono app: request ids and logging for everything, the SCIM endpoint under
 * /scim/v2 (and /scim/v1, the path one vendor publishes), the admin API, the agent API and a
 * health check.
 */
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { adminRouter } from './http/admin/router'
import { agentApiRouter } from './http/agent/router'
import { requestId } from './http/middleware/request-id'
import { scimErrorResponse } from './http/scim/respond'
import { scimRouter, toScimError } from './http/scim/router'
import { ScimError } from './scim/errors'

export function buildApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })
  app.use('*', requestId)
  app.get('/health', (c) => c.json({ status: 'ok' }))
  const scim = scimRouter()
  app.route('/scim/v2', scim)
  app.route('/scim/v1', scim)
  app.route('/admin/v1', adminRouter())
  app.route('/agent/v1', agentApiRouter())
  app.notFound((c) => {
    if (new URL(c.req.url).pathname.startsWith('/scim/')) {
      return scimErrorResponse(
        new ScimError(404, `No SCIM endpoint at ${new URL(c.req.url).pathname}`),
        c.var.requestId
      )
    }
    return c.json({ error: { status: 404, message: 'Not found' } }, 404)
  })
  app.onError((error, c) => scimErrorResponse(toScimError(error, c.var.requestId), c.var.requestId))
  return app
}

/**
 * Tolerates what real clients do to paths: a tenant URL pasted with a trailing slash makes Entra
 * call `/scim/v2//Users`. (A body sent without a Content-Type is handled by the routers' body
 * check, which reads it as JSON when it is JSON.)
 */
export function normalizeRequest(request: Request): Request {
  const url = new URL(request.url)
  const path = url.pathname.replace(/\/{2,}/g, '/')
  if (path === url.pathname) return request
  url.pathname = path
  return new Request(url, request)
}
