/**
 * @module The SCIM 2.0 endpoint: authentication, payload limit, discovery, Users and Groups,
 * and SCIM-shaped answers for every error (RFC 7644 §3.12), including unknown paths.
 */
import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { HonoTypes } from '../../env'
import { logError } from '../../lib/log'
import { ScimError, badRequest } from '../../scim/errors'
import { payloadLimit } from '../middleware/body-limit'
import { jsonBody } from '../middleware/json-body'
import { scimAuth } from '../middleware/key-auth'
import { discovery } from './discovery'
import { scimBaseOf } from './paths'
import { GROUPS, USERS } from './resource-kind'
import { resourceRouter } from './resources'
import { scimErrorResponse } from './respond'

function toScimError(error: unknown, requestId: string | undefined): ScimError {
  if (error instanceof ScimError) return error
  if (error instanceof HTTPException && error.status === 400) {
    // Hono's JSON body parser: the body is not valid JSON.
    return badRequest('invalidSyntax', 'The request body is not valid JSON')
  }
  logError(error, { requestId })
  return new ScimError(500, `Internal error; quote request id ${requestId ?? 'unknown'} to support`)
}

/** RFC 7644 §3.12: a path the SCIM endpoint does not serve is a SCIM 404, never an HTML page. */
export const noScimEndpoint = (c: Context<HonoTypes>): Response =>
  scimErrorResponse(
    new ScimError(404, `No SCIM endpoint at ${new URL(c.req.url).pathname}`),
    c.var.requestId
  )

/** RFC 7644 §3.12: 501 for an operation the service provider does not support. */
const notImplemented =
  (endpoint: string, instead: string) =>
  (c: Context<HonoTypes>): Response =>
    scimErrorResponse(
      new ScimError(501, `This service provider does not support ${endpoint}: ${instead}`),
      c.var.requestId
    )

/** Any error thrown while serving SCIM, answered as RFC 7644 §3.12 JSON. */
export const answerScimError = (error: unknown, c: Context<HonoTypes>): Response =>
  scimErrorResponse(toScimError(error, c.var.requestId), c.var.requestId)

export function scimRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url)
    // Locations are built from the base path the client used (RFC 7644 §3.1 meta.location).
    c.set('scimBase', `${url.origin}${scimBaseOf(url.pathname) ?? '/scim/v2'}`)
    await next()
  })
  app.use('*', scimAuth)
  app.use(
    '*',
    payloadLimit((status, message) => new ScimError(status, message))
  )
  app.use('*', jsonBody)
  app.route('/', discovery)
  app.route('/Users', resourceRouter(USERS))
  app.route('/Groups', resourceRouter(GROUPS))
  // ServiceProviderConfig says both are unsupported; RFC 7644 §3.11 asks 501 for /Me.
  app.all('/Me', notImplemented('/Me', 'address the user by its id under /Users'))
  app.all('/Me/*', notImplemented('/Me', 'address the user by its id under /Users'))
  app.all('/Bulk', notImplemented('/Bulk', 'send each operation as its own request'))
  app.notFound(noScimEndpoint)
  app.onError(answerScimError)
  return app
}
