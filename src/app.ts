/**
 * @module Builds the Hono app: request ids and logging for everything, the SCIM endpoint under
 * /scim/v2 (and its aliases, see SCIM_BASE_PATHS), the admin API, the agent API and a health
 * check.
 */
import { Hono } from 'hono'
import type { HonoTypes } from './env'
import { adminRouter } from './http/admin/router'
import { agentApiRouter } from './http/agent/router'
import { consoleRouter } from './http/console/router'
import { requestId } from './http/middleware/request-id'
import { SCIM_BASE_PATHS, canonicalScimPath, scimBaseOf } from './http/scim/paths'
import { answerScimError, noScimEndpoint, scimRouter } from './http/scim/router'

export function buildApp(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })
  app.use('*', requestId)
  app.get('/health', (c) => c.json({ status: 'ok' }))
  const scim = scimRouter()
  for (const base of SCIM_BASE_PATHS) app.route(base, scim)
  app.route('/admin/v1', adminRouter())
  app.route('/agent/v1', agentApiRouter())
  app.route('/console', consoleRouter())
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname
    if (path.startsWith('/scim/') || scimBaseOf(path) !== undefined) return noScimEndpoint(c)
    return c.json({ error: { status: 404, message: 'Not found' } }, 404)
  })
  app.onError(answerScimError)
  return app
}

/**
 * Tolerates what real clients do to paths: a tenant URL pasted with a trailing slash makes Entra
 * call `/scim/v2//Users`, and some clients spell the endpoints in another case (`/users`,
 * `/serviceproviderconfig`), which Microsoft's reference SCIM server accepts. (A body sent
 * without a Content-Type is handled by the routers' body check.)
 */
export function normalizeRequest(request: Request): Request {
  const url = new URL(request.url)
  const path = canonicalScimPath(url.pathname.replace(/\/{2,}/g, '/'))
  if (path === url.pathname) return request
  url.pathname = path
  return new Request(url, request)
}
