/**
 * @module Operator admin API under /admin/v1, behind the ADMIN_TOKEN secret: tenants, their keys
 * and integration instances, and the directory (agents, users, groups, roles, Do Not Track,
 * licenses, deletions, history), and a tenant's export and offboarding.
 */
import { Hono } from 'hono'
import type { HonoTypes } from '../../env'
import { constantTimeEqual } from '../../lib/secrets'
import { agentsRouter } from '../agents'
import { adminsRouter } from './admins'
import { jsonBody } from '../middleware/json-body'
import { tenantOr404 } from './context'
import { operatorEnvelope } from '../envelope'
import { dntDeletionsRouter } from './dnt-deletions'
import { usersGroupsRouter } from './users-groups'
import { AdminError, adminErrorBody, jsonBodyLimit } from './errors'
import { historyRouter } from './history'
import { instancesRouter } from './instances'
import { keysRouter } from './keys'
import { rolesRouter } from './roles'
import { tenantLifecycleRouter } from './tenant-lifecycle'
import { tenantsRouter } from './tenants'

export function adminRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })
  app.onError((error, c) => {
    const { status, body } = adminErrorBody(error, c.var.requestId)
    return c.json(body, status)
  })
  app.use('*', async (c, next) => {
    const expected = c.env.ADMIN_TOKEN
    if (!expected)
      throw new AdminError(503, 'The admin API is disabled: set the ADMIN_TOKEN secret')
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]?.trim() ?? ''
    if (!(await constantTimeEqual(given, expected)))
      throw new AdminError(401, 'A valid admin token is required')
    await next()
  })
  app.use('*', jsonBodyLimit)
  app.use('*', jsonBody)
  app.route('/tenants', tenantsRouter())
  app.route('/tenants', tenantLifecycleRouter())
  app.route('/tenants/:id/keys', keysRouter())
  app.route('/tenants/:id/instances', instancesRouter())
  app.route(
    '/tenants/:id/agents',
    agentsRouter(async (c) => {
      const { tenant, db } = await tenantOr404(c, c.req.param('id') ?? '')
      return { tenantId: tenant.id, db, envelope: operatorEnvelope(c, tenant.id) }
    })
  )
  for (const router of [
    usersGroupsRouter(),
    dntDeletionsRouter(),
    rolesRouter(),
    historyRouter(),
    adminsRouter(),
  ])
    app.route('/tenants/:id', router)
  app.notFound((c) => c.json({ error: { status: 404, message: 'No such admin endpoint' } }, 404))
  return app
}
