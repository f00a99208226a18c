/**
 * @module Operator changes to roles: the tenant's roles and default role, the role mode, and the
 * role a group grants. Each recomputes the effective role of the users it can affect.
 */
import { fold } from '../lib/text'
import { badRequest, conflict, notFound } from '../scim/errors'
import {
  deleteRoleStatement,
  groupsCarryingRole,
  insertRoleStatement,
  listRoles,
  rolesByIds,
  type RoleRow,
} from '../storage/repos/roles'
import {
  getGroupRoleId,
  memberIds,
  setGroupRoleStatement,
  usersInAnyGroup,
} from '../storage/repos/groups'
import { updateRoleSettingsStatement } from '../storage/repos/tenants'
import { Changeset, commit } from './changeset'
import { recomputeRoles } from './roles'
import type { TenantSettings, WriteContext } from './write-context'

/** Group names a refusal quotes before "and N more". */
const NAMED_GROUPS = 5

/** In groups-as-roles mode the groups are the roles: there are no other roles to manage. */
function requireGroupRolesMode(ctx: WriteContext, action: string): void {
  if (ctx.settings.roleMode === 'groups-as-roles') {
    throw badRequest(
      'invalidValue',
      `Roles cannot be ${action} in groups-as-roles mode: every group is a role, so roles come from the identity provider's groups. Switch roleMode to group-roles to manage roles`
    )
  }
}

export async function createRole(ctx: WriteContext, name: string): Promise<RoleRow> {
  requireGroupRolesMode(ctx, 'created')
  const nameCi = fold(name.trim())
  if ((await listRoles(ctx.db, ctx.tenantId)).some((r) => r.nameCi === nameCi)) {
    throw conflict(`A role named "${name}" already exists`)
  }
  const row: RoleRow = {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    name: name.trim(),
    nameCi,
    createdAt: ctx.now,
  }
  const cs = new Changeset().add(insertRoleStatement(ctx.db, row))
  cs.record({
    op: 'role.create',
    resourceType: 'Role',
    resourceId: row.id,
    changes: [{ attr: 'name', after: row.name }],
  })
  await commit(ctx, cs, 'role')
  return row
}

async function requireRole(ctx: WriteContext, roleId: string): Promise<RoleRow> {
  const [role] = await rolesByIds(ctx.db, ctx.tenantId, [roleId])
  if (!role) throw notFound(`Role "${roleId}" not found`)
  return role
}

/**
 * Refuses to delete a role someone still gets: the default role, or a role groups carry.
 * Deleting it would leave their members with a role that no longer exists.
 */
async function requireUnused(ctx: WriteContext, role: RoleRow): Promise<void> {
  const isDefault = ctx.settings.defaultRoleId === role.id
  const carriers = await groupsCarryingRole(ctx.db, ctx.tenantId, role.id, NAMED_GROUPS)
  if (!isDefault && carriers.total === 0) return
  const reasons: string[] = []
  const steps: string[] = []
  if (isDefault) {
    reasons.push("it is the tenant's default role")
    steps.push('choose another default role')
  }
  if (carriers.total > 0) {
    const more = carriers.total - carriers.names.length
    const names = carriers.names.map((n) => `"${n}"`).join(', ')
    reasons.push(
      `${String(carriers.total)} group(s) carry it (${names}${more > 0 ? ` and ${String(more)} more` : ''})`
    )
    steps.push('give those groups another role or none')
  }
  throw conflict(
    `Role "${role.name}" is still in use: ${reasons.join(', and ')}. Reassign first: ${steps.join(', and ')}; then delete the role`
  )
}

export async function deleteRole(ctx: WriteContext, roleId: string): Promise<void> {
  requireGroupRolesMode(ctx, 'deleted')
  const role = await requireRole(ctx, roleId)
  await requireUnused(ctx, role)
  const cs = new Changeset().add(deleteRoleStatement(ctx.db, ctx.tenantId, roleId))
  cs.record({
    op: 'role.delete',
    resourceType: 'Role',
    resourceId: roleId,
    changes: [{ attr: 'name', before: role.name }],
  })
  await commit(ctx, cs, 'role')
}

/** Sets or clears the role a group grants; its members' effective roles follow. */
export async function setGroupRole(
  ctx: WriteContext,
  groupId: string,
  roleId: string | null
): Promise<{ members: number }> {
  const current = await getGroupRoleId(ctx.db, ctx.tenantId, groupId)
  if (current === undefined) throw notFound(`Group "${groupId}" not found`)
  if (roleId !== null) await requireRole(ctx, roleId)
  const members = await memberIds(ctx.db, ctx.tenantId, groupId)
  if (current === roleId) return { members: members.length }
  const cs = new Changeset().add(
    setGroupRoleStatement(ctx.db, ctx.tenantId, groupId, roleId, ctx.now)
  )
  cs.record({
    op: 'group.role',
    resourceType: 'Group',
    resourceId: groupId,
    changes: [{ attr: 'role', before: current, after: roleId }],
  })
  await recomputeRoles(ctx, cs, members, { groupRoles: new Map([[groupId, roleId]]) })
  await commit(ctx, cs, 'group role')
  return { members: members.length }
}

/**
 * Changes the default role or the mode. The default is stored as "no group" on users, so a new
 * default needs no user update; a new mode changes what every membership means, so it
 * recomputes every user who is in a group (an operator action, not a hot path).
 */
export async function updateRoleSettings(
  ctx: WriteContext,
  change: Partial<TenantSettings>
): Promise<TenantSettings> {
  if (change.defaultRoleId) await requireRole(ctx, change.defaultRoleId)
  const next: TenantSettings = { ...ctx.settings, ...change }
  const cs = new Changeset().add(updateRoleSettingsStatement(ctx.db, ctx.tenantId, change))
  const changes = [
    ...(next.roleMode !== ctx.settings.roleMode
      ? [{ attr: 'roleMode', before: ctx.settings.roleMode, after: next.roleMode }]
      : []),
    ...(next.defaultRoleId !== ctx.settings.defaultRoleId
      ? [{ attr: 'defaultRoleId', before: ctx.settings.defaultRoleId, after: next.defaultRoleId }]
      : []),
  ]
  if (changes.length === 0) return next
  cs.record({ op: 'tenant.roles', resourceType: 'Tenant', resourceId: ctx.tenantId, changes })
  if (next.roleMode !== ctx.settings.roleMode) {
    await recomputeRoles(
      { ...ctx, settings: next },
      cs,
      await usersInAnyGroup(ctx.db, ctx.tenantId),
      {}
    )
  }
  await commit(ctx, cs, 'settings')
  return next
}
