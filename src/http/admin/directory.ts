/**
 * @module The directory as operators see it, under /tenants/:id: users (state, role, agents,
 * groups, DNT), groups (user and agent members, role), the Do Not Track list, licenses and
 * deletions. Writes go through the tenant's Durable Object and are recorded as `operator`.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { loadConfig, verifySettings } from '../../config'
import { groupsAreRoles, roleGivenBy } from '../../directory/effective-role'
import { verifyByOf } from '../../domain/deletion-verification'
import type { AppEnv } from '../../env'
import { licenseCounts } from '../../storage/repos/agents'
import {
  listDeletions,
  listDnt,
  type DeletionRow,
  type DntRow,
} from '../../storage/repos/directory'
import { listGroups, type GroupListRow } from '../../storage/repos/group-list'
import { getUserDetail } from '../../storage/repos/user-detail'
import { listUsers, type UserListRow } from '../../storage/repos/user-list'
import { groupMemberCounts, groupMembersView, groupSummary } from '../../storage/repos/views'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { page, PageQuery, tenantOr404, type TenantScope } from './context'
import { operatorEnvelope } from '../envelope'
import { AdminError } from './errors'
import { ListQuery } from './lists'
import { adminValidator } from './validate'

const tenantId = (c: Context<AppEnv>): string => c.req.param('id') ?? ''

const UsersQuery = ListQuery.extend({
  q: z.string().trim().max(256).optional(),
  state: z.enum(['active', 'suspended']).optional(),
})
const DeletionsQuery = PageQuery.extend({
  status: z.enum(['pending', 'verified', 'failed']).optional(),
})
const DntBody = z.union([
  z.object({ userId: z.string().min(1) }).strict(),
  z.object({ agentId: z.string().min(1) }).strict(),
])
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

const dntView = (d: DntRow) => ({ ...d, identifiers: JSON.parse(d.identifiers) as unknown })
/** A deletion with the time it must be verified by (verifiedAt says when it was). */
const deletionView = (d: DeletionRow, deadlineMs: number) => ({
  ...d,
  identifiers: JSON.parse(d.identifiers) as unknown,
  verifyBy: verifyByOf(d.requestedAt, deadlineMs),
})

export function directoryRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

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
    const { tenant } = await tenantOr404(c, tenantId(c))
    if (groupsAreRoles(tenant.roleMode))
      throw new AdminError(
        400,
        'In groups-as-roles mode every group is a role; switch to group-roles to assign roles to groups'
      )
    const result = unwrap(
      await tenantWriter(c.env, tenant.id).setGroupRole(
        operatorEnvelope(c, tenant.id),
        c.req.param('groupId'),
        c.req.valid('json').roleId
      )
    )
    return c.json({
      groupId: c.req.param('groupId'),
      roleId: c.req.valid('json').roleId,
      ...result,
    })
  })

  app.get('/dnt', adminValidator('query', PageQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const q = c.req.valid('query')
    const items = await listDnt(db, tenant.id, {
      limit: q.limit,
      ...(q.cursor ? { after: q.cursor } : {}),
    })
    return c.json({
      entries: items.map(dntView),
      nextCursor: page(items, q.limit, (d) => d.id).nextCursor,
    })
  })

  app.post('/dnt', adminValidator('json', DntBody), async (c) => {
    const { tenant } = await tenantOr404(c, tenantId(c))
    const entry = unwrap(
      await tenantWriter(c.env, tenant.id).addDnt(
        operatorEnvelope(c, tenant.id),
        c.req.valid('json')
      )
    )
    return c.json(dntView(entry), 201)
  })

  app.delete('/dnt/:entryId', async (c) => {
    const { tenant } = await tenantOr404(c, tenantId(c))
    unwrap(
      await tenantWriter(c.env, tenant.id).removeDnt(
        operatorEnvelope(c, tenant.id),
        c.req.param('entryId')
      )
    )
    return c.body(null, 204)
  })

  app.get('/licenses', async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    return c.json(await licenseCounts(db, tenant.id))
  })

  app.get('/deletions', adminValidator('query', DeletionsQuery), async (c) => {
    const { tenant, db } = await tenantOr404(c, tenantId(c))
    const q = c.req.valid('query')
    const items = await listDeletions(db, tenant.id, {
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(q.cursor ? { before: q.cursor } : {}),
    })
    const { deadlineMs } = verifySettings(loadConfig(c.env))
    return c.json({
      deletions: items.map((d) => deletionView(d, deadlineMs)),
      nextCursor: page(items, q.limit, (d) => d.id).nextCursor,
    })
  })

  return app
}
