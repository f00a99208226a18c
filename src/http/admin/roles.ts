/**
 * @module Roles under /tenants/:id/roles and the tenant's role settings (default role and mode).
 * In groups-as-roles mode (TrackTik) the groups are the roles, so the list shows the groups.
 */
import { groupsAreRoles } from '../../directory/effective-role'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { HonoTypes } from '../../env'
import { rolesPage } from '../../storage/repos/roles'
import { listGroups } from '../../storage/repos/group-list'
import { unwrap } from '../../tenant-do/client'
import { operatorWriter, tenantOr404 } from './context'
import { AdminError } from './errors'
import { ListQuery } from './lists'
import { adminValidator } from './validate'

const RoleBody = z.object({ name: z.string().trim().min(1).max(200) })
const SettingsBody = z
  .object({
    defaultRoleId: z.string().min(1).nullable(),
    roleMode: z.enum(['group-roles', 'groups-as-roles']),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Give defaultRoleId and/or roleMode')

const tenantId = (c: Context<HonoTypes>): string => c.req.param('id') ?? ''

export function rolesRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.get('/roles', adminValidator('query', ListQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const { limit, cursor } = c.req.valid('query')
    const settings = { roleMode: tenant.roleMode, defaultRoleId: tenant.defaultRoleId }
    if (groupsAreRoles(tenant.roleMode)) {
      const page = await listGroups(db, tenant.id, { limit, cursor })
      return c.json({
        ...settings,
        roles: page.rows.map((g) => ({
          id: g.id,
          name: g.displayName,
          kind: 'group',
          memberCount: g.userCount,
          agentMemberCount: g.agentCount,
        })),
        nextCursor: page.nextCursor,
      })
    }
    const page = await rolesPage(db, tenant.id, { limit, cursor })
    return c.json({
      ...settings,
      roles: page.rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: 'role',
        createdAt: r.createdAt,
        isDefault: r.id === tenant.defaultRoleId,
      })),
      nextCursor: page.nextCursor,
    })
  })

  app.post('/roles', adminValidator('json', RoleBody), async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    const role = unwrap(await writer.createRole(envelope, c.req.valid('json').name))
    return c.json({ id: role.id, name: role.name, createdAt: role.createdAt }, 201)
  })

  app.delete('/roles/:roleId', async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    unwrap(await writer.deleteRole(envelope, c.req.param('roleId')))
    return c.body(null, 204)
  })

  app.patch('/role-settings', adminValidator('json', SettingsBody), async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    const body = c.req.valid('json')
    const change = {
      ...(body.roleMode !== undefined ? { roleMode: body.roleMode } : {}),
      ...(body.defaultRoleId !== undefined ? { defaultRoleId: body.defaultRoleId } : {}),
    }
    if (Object.keys(change).length === 0) throw new AdminError(400, 'Nothing to change')
    return c.json(unwrap(await writer.updateRoleSettings(envelope, change)))
  })

  return app
}
