/**
 * @module Users and groups as operators see them, under /tenants/:id: users (state, role,
 * agents, groups, DNT), groups (user and agent members, role), and the role a group carries.
 * Writes go through the tenant's Durable Object and are recorded as `operator`.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { groupsAreRoles, roleGivenBy } from '../../directory/effective-role'
import type { HonoTypes } from '../../env'
import { listGroups, type GroupListRow } from '../../storage/repos/group-list'
import { getUserDetail } from '../../storage/repos/user-detail'
import { listUsers, type UserListRow } from '../../storage/repos/user-list'
import { groupMemberCounts, groupMembersView, groupSummary } from '../../storage/repos/views'
import { unwrap } from '../../tenant-do/client'
import { operatorWriter, PageQuery, tenantOr404, type TenantScope } from './context'
import { AdminError } from './errors'
import { ListQuery } from './lists'
import { adminValidator } from './validate'

const tenantId = (c: Context<HonoTypes>): string => c.req.param('id') ?? ''

const UsersQuery = ListQuery.extend({
  q: z.string().trim().max(256).optional(),
  state: z.enum(['active', 'suspended']).optional(),
})
const GroupRoleBody = z.object({ roleId: z.string().min(1).nullable() })

const userView = (u: UserListRow) => ({
  id: u.id,
  userName: u.userName,
  displayName: u.displayName,
  primaryEmail: u.primaryEmail,
  employeeNumber: u.employeeNumber,
  state: u.active ? 'active' : 'suspended',
  canSignIn: u.active,
  agentCount: u.agentCount,
  mergedAgentCount: u.mergedAgentCount,
  doNotTrack: u.doNotTrack,
  role: u.role,
})

const groupListView = (scope: TenantScope, g: GroupListRow) => ({
  id: g.id,
  displayName: g.displayName,
  externalId: g.externalId,
  userMemberCount: g.userCount,
  agentMemberCount: g.agentCount,
  isRole: groupsAreRoles(scope.tenant.roleMode),
  role: roleGivenBy(scope.tenant.roleMode, g),
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
})

/** Users and groups of a tenant as operators see them, and the role a group carries. */
export function usersGroupsRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.get('/users', adminValidator('query', UsersQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const { limit, cursor, q, state } = c.req.valid('query')
    const page = await listUsers(db, tenant.id, { limit, cursor, q, state })
    return c.json({ users: page.rows.map(userView), nextCursor: page.nextCursor })
  })

  app.get('/users/:userId', async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const u = await getUserDetail(db, tenant.id, c.req.param('userId'))
    if (!u) throw new AdminError(404, `User "${c.req.param('userId')}" not found`)
    return c.json({
      ...userView(u),
      groups: u.groups,
      agents: u.agents.map((a) => ({
        id: a.id,
        logonName: a.logonName,
        domain: a.domain,
        linkRule: a.linkRule,
        state: a.state,
        mergedInto: a.mergedInto,
        mergedAgents: a.mergedAgents,
        doNotTrack: a.doNotTrack,
      })),
    })
  })

  app.get('/groups', adminValidator('query', ListQuery), async (c) => {
    const scope = await tenantOr404(c, tenantId(c))
    const { limit, cursor, q } = c.req.valid('query')
    const page = await listGroups(scope.db, scope.tenant.id, { limit, cursor, q })
    return c.json({
      roleMode: scope.tenant.roleMode,
      groups: page.rows.map((g) => groupListView(scope, g)),
      nextCursor: page.nextCursor,
    })
  })

  app.get('/groups/:groupId', async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const g = await groupSummary(db, tenant.id, c.req.param('groupId'))
    if (!g) throw new AdminError(404, `Group "${c.req.param('groupId')}" not found`)
    const members = await groupMemberCounts(db, tenant.id, g.id)
    return c.json({
      ...g,
      isRole: groupsAreRoles(tenant.roleMode),
      userMemberCount: members.userCount,
      agentMemberCount: members.agentCount,
    })
  })

  app.get(
    '/groups/:groupId/members',
    adminValidator('query', PageQuery.pick({ limit: true })),
    async (c) => {
      const { tenant, db } = await tenantOr404(c, tenantId(c))
      if (!(await groupSummary(db, tenant.id, c.req.param('groupId'))))
        throw new AdminError(404, `Group "${c.req.param('groupId')}" not found`)
      return c.json(
        await groupMembersView(db, tenant.id, c.req.param('groupId'), c.req.valid('query').limit)
      )
    }
  )

  app.put('/groups/:groupId/role', adminValidator('json', GroupRoleBody), async (c) => {
    const { tenant, writer, envelope } = await operatorWriter(c)
    if (groupsAreRoles(tenant.roleMode))
      throw new AdminError(
        400,
        'In groups-as-roles mode every group is a role; switch to group-roles to assign roles to groups'
      )
    const result = unwrap(
      await writer.setGroupRole(envelope, c.req.param('groupId'), c.req.valid('json').roleId)
    )
    return c.json({
      groupId: c.req.param('groupId'),
      roleId: c.req.valid('json').roleId,
      ...result,
    })
  })

  return app
}
