/**
 * @module The agent API under /agent/v1: the desktop agent's backend reports identities with a
 * key of `agent` scope (created with `POST /admin/v1/tenants/:id/keys {"scope":"agent"}`).
 */
import { Hono } from 'hono'
import type { HonoTypes } from '../../env'
import { ScimError } from '../../scim/errors'
import { regionDb } from '../../storage/db'
import { adminErrorBody, jsonBodyLimit } from '../admin/errors'
import { agentsRouter } from '../agents'
import { jsonBody } from '../middleware/json-body'
import { callerEnvelope } from '../envelope'
import { keyAuth } from '../middleware/key-auth'

export function agentApiRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })
  app.onError((error, c) => {
    const { status, body } = adminErrorBody(error, c.var.requestId)
    return c.json(body, status, error instanceof ScimError ? { ...error.headers } : {})
  })
  app.use('*', keyAuth('agent'))
  app.use('*', jsonBodyLimit)
  app.use('*', jsonBody)
  app.route(
    '/agents',
    agentsRouter((c) =>
      Promise.resolve({
        tenantId: c.var.caller.tenantId,
        db: regionDb(c.env, c.var.caller.region),
        envelope: callerEnvelope(c, 'agent'),
      })
    )
  )
  app.notFound((c) =>
    c.json({ error: { status: 404, message: 'No such agent API endpoint' } }, 404)
  )
  return app
}
