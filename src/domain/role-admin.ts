/**
 * @module Operator changes to roles: the tenant's roles and default role, the role mode, and the
 * role a group grants. Each recomputes the effective role of the users it can affect.
 */
import { fold } from '../lib/text'
import { badRequest, conflict, notFound } from '../scim/errors'
import {
  deleteRoleStatement,
  insertRoleStatement,
  listRoles,
  rolesByIds,
  type RoleRow,
} from '../storage/repos/directory'
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

export async function createRole(ctx: WriteContext, name: string): Promise<RoleRow> {
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

export async function deleteRole(ctx: WriteContext, roleId: string): Promise<void> {
  const role = await requireRole(ctx, roleId)
  if (ctx.settings.defaultRoleId === roleId)
    throw badRequest(
      'invalidValue',
      'The default role cannot be deleted; choose another default first'
    )
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
