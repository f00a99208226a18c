/**
 * Roles from groups. Apty: a user's role is the role of the role-bearing group they joined most
 * recently, or the default role. TrackTik: in groups-as-roles mode every group is a role.
 */
import { describe, it } from 'vitest'
import { adminJson, userHistory } from '../support/directory'
import {
  createTenant,
  json,
  patchOp,
  scimClient,
  type ScimClient,
  type TestTenant,
} from '../support/scim'

interface RoleView {
  kind: string
  id: string
  name: string | null
  viaGroupId: string | null
}

const roleOf = async (tenantId: string, userId: string) =>
  (await adminJson<{ role: RoleView | null }>('GET', `/tenants/${tenantId}/users/${userId}`)).role

async function setup(): Promise<{
  tenant: TestTenant
  scim: ScimClient
  roles: Record<string, string>
}> {
  // A new group-roles tenant starts with its default role, "Content Creator".
  const tenant = await createTenant()
  for (const name of ['Admin', 'Analyst'])
    await adminJson('POST', `/tenants/${tenant.id}/roles`, { name }, 201)
  const listed = await adminJson<{ roles: { id: string; name: string }[] }>(
    'GET',
    `/tenants/${tenant.id}/roles`
  )
  const roles = Object.fromEntries(listed.roles.map((r) => [r.name, r.id]))
  return { tenant, scim: scimClient(tenant), roles }
}

const addMember = (scim: ScimClient, groupId: string, userId: string) =>
  scim.patch(
    `/Groups/${groupId}`,
    patchOp({ op: 'Add', path: 'members', value: [{ value: userId }] })
  )

describe('Roles from groups', () => {
  it('Should give the default role, then the role of the most recently joined role-bearing group', async ({
    expect,
  }) => {
    const { tenant, scim, roles } = await setup()
    const user = await json(await scim.post('/Users', { userName: 'role.user@contoso.com' }))
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      kind: 'default',
      name: 'Content Creator',
      viaGroupId: null,
    })

    const admins = await json(await scim.post('/Groups', { displayName: 'Admins' }))
    const analysts = await json(await scim.post('/Groups', { displayName: 'Analysts' }))
    const plain = await json(await scim.post('/Groups', { displayName: 'No role' }))
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${admins.id}/role`, {
      roleId: roles.Admin,
    })
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${analysts.id}/role`, {
      roleId: roles.Analyst,
    })

    await addMember(scim, admins.id, user.id)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      kind: 'group-role',
      name: 'Admin',
      viaGroupId: admins.id,
    })
    await addMember(scim, analysts.id, user.id)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      name: 'Analyst',
      viaGroupId: analysts.id,
    })
    await addMember(scim, plain.id, user.id)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ name: 'Analyst' })

    await scim.patch(
      `/Groups/${analysts.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` })
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ name: 'Admin', viaGroupId: admins.id })
    expect((await scim.del(`/Groups/${admins.id}`)).status).toBe(204)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      kind: 'default',
      name: 'Content Creator',
    })

    const changes = (await userHistory(tenant.id, user.id))
      .filter((e) => e.op === 'role.change')
      .map((e) => e.changes[0]?.after)
    expect(changes.reverse()).toEqual([
      roles.Admin,
      roles.Analyst,
      roles.Admin,
      roles['Content Creator'],
    ])
  })

  it('Should recompute members when a group’s role is set or cleared', async ({ expect }) => {
    const { tenant, scim, roles } = await setup()
    const a = await json(await scim.post('/Users', { userName: 'a@contoso.com' }))
    const b = await json(await scim.post('/Users', { userName: 'b@contoso.com' }))
    const group = await json(
      await scim.post('/Groups', {
        displayName: 'Ops',
        members: [{ value: a.id }, { value: b.id }],
      })
    )
    const set = await adminJson<{ members: number }>(
      'PUT',
      `/tenants/${tenant.id}/groups/${group.id}/role`,
      { roleId: roles.Admin }
    )
    expect(set.members).toBe(2)
    expect(await roleOf(tenant.id, b.id)).toMatchObject({ name: 'Admin' })
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${group.id}/role`, { roleId: null })
    expect(await roleOf(tenant.id, a.id)).toMatchObject({ kind: 'default' })
  })

  it('Should make every group a role in groups-as-roles mode (TrackTik)', async ({ expect }) => {
    const tenant = await createTenant('us', 'TrackTik Co', { roleMode: 'groups-as-roles' })
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'guard@contoso.com' }))
    expect(await roleOf(tenant.id, user.id)).toBeNull()
    const guards = await json(
      await scim.post('/Groups', { displayName: 'Guards', members: [{ value: user.id }] })
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      kind: 'group',
      id: guards.id,
      name: 'Guards',
    })
    const sup = await json(await scim.post('/Groups', { displayName: 'Supervisors' }))
    await addMember(scim, sup.id, user.id)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'group', name: 'Supervisors' })
    expect(await adminJson('GET', `/tenants/${tenant.id}/groups/${sup.id}`)).toMatchObject({
      isRole: true,
    })
    const refused = await adminJson<{ error: { message: string } }>(
      'PUT',
      `/tenants/${tenant.id}/groups/${sup.id}/role`,
      { roleId: null },
      400
    )
    expect(refused.error.message).toContain('groups-as-roles')
  })

  it('Should recompute everyone when the mode changes, and refuse an unknown default or a taken name', async ({
    expect,
  }) => {
    const { tenant, scim } = await setup()
    const user = await json(await scim.post('/Users', { userName: 'm@contoso.com' }))
    const team = await json(
      await scim.post('/Groups', { displayName: 'Team', members: [{ value: user.id }] })
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'default' })
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'groups-as-roles' })
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'group', id: team.id })
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { defaultRoleId: 'nope' }, 404)
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'group-roles' })
    await adminJson('POST', `/tenants/${tenant.id}/roles`, { name: 'admin' }, 409)
  })
})

describe('Listing roles', () => {
  interface RolesPage {
    roleMode: string
    defaultRoleId: string | null
    roles: { id: string; name: string; kind: string; memberCount?: number }[]
    nextCursor: string | null
  }
  const rolesPage = (tenantId: string, query = '') =>
    adminJson<RolesPage>('GET', `/tenants/${tenantId}/roles${query}`)

  it('Should page the roles by name, marking the default', async ({ expect }) => {
    const { tenant, roles } = await setup()
    const first = await rolesPage(tenant.id, '?limit=2')
    expect(first).toMatchObject({
      roleMode: 'group-roles',
      defaultRoleId: roles['Content Creator'],
      roles: [
        { name: 'Admin', kind: 'role', isDefault: false },
        { name: 'Analyst', kind: 'role', isDefault: false },
      ],
    })
    const rest = await rolesPage(tenant.id, `?limit=2&cursor=${first.nextCursor ?? ''}`)
    expect(rest).toMatchObject({
      roles: [{ name: 'Content Creator', isDefault: true }],
      nextCursor: null,
    })
  })

  it('Should list the groups as the roles in groups-as-roles mode, paged, with members', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'groups-as-roles' })
    const a = await json(await scim.post('/Users', { userName: 'a@contoso.com' }))
    const b = await json(await scim.post('/Users', { userName: 'b@contoso.com' }))
    const guards = await json(
      await scim.post('/Groups', {
        displayName: 'Guards',
        members: [{ value: a.id }, { value: b.id }],
      })
    )
    const sup = await json(
      await scim.post('/Groups', { displayName: 'supervisors', members: [{ value: a.id }] })
    )
    const first = await rolesPage(tenant.id, '?limit=1')
    expect(first).toMatchObject({
      roleMode: 'groups-as-roles',
      nextCursor: expect.any(String) as unknown,
    })
    expect(first.roles).toEqual([
      { id: guards.id, name: 'Guards', kind: 'group', memberCount: 2, agentMemberCount: 0 },
    ])
    const rest = await rolesPage(tenant.id, `?limit=1&cursor=${first.nextCursor ?? ''}`)
    expect(rest.roles).toEqual([
      { id: sup.id, name: 'supervisors', kind: 'group', memberCount: 1, agentMemberCount: 0 },
    ])
    expect(rest.nextCursor).toBeNull()
  })
})

describe('Deleting roles', () => {
  type ErrorBody = { error: { status: number; message: string } }
  const deleteRole = (tenantId: string, roleId: string | undefined, status: number) =>
    adminJson<ErrorBody | null>(
      'DELETE',
      `/tenants/${tenantId}/roles/${roleId ?? ''}`,
      undefined,
      status
    )

  it('Should refuse to delete a role groups carry, naming them, until they are reassigned', async ({
    expect,
  }) => {
    const { tenant, scim, roles } = await setup()
    const user = await json(await scim.post('/Users', { userName: 'carrier@contoso.com' }))
    const groupIds: string[] = []
    for (const name of ['Zeta', 'alpha', 'Delta', 'Beta', 'Gamma', 'Epsilon']) {
      const g = await json(
        await scim.post('/Groups', { displayName: name, members: [{ value: user.id }] })
      )
      await adminJson('PUT', `/tenants/${tenant.id}/groups/${g.id}/role`, { roleId: roles.Admin })
      groupIds.push(g.id)
    }
    const refused = await deleteRole(tenant.id, roles.Admin, 409)
    expect(refused?.error.message).toBe(
      'Role "Admin" is still in use: 6 group(s) carry it ("alpha", "Beta", "Delta", "Epsilon", "Gamma" and 1 more). Reassign first: give those groups another role or none; then delete the role'
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'group-role', name: 'Admin' })

    for (const id of groupIds)
      await adminJson('PUT', `/tenants/${tenant.id}/groups/${id}/role`, { roleId: null })
    await deleteRole(tenant.id, roles.Admin, 204)
    expect(await roleOf(tenant.id, user.id)).toMatchObject({
      kind: 'default',
      name: 'Content Creator',
    })
  })

  it('Should refuse to delete the default role, and say both when groups carry it too', async ({
    expect,
  }) => {
    const { tenant, scim, roles } = await setup()
    const staff = await json(await scim.post('/Groups', { displayName: 'Staff' }))
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${staff.id}/role`, {
      roleId: roles['Content Creator'],
    })
    const refused = await deleteRole(tenant.id, roles['Content Creator'], 409)
    expect(refused?.error.message).toBe(
      'Role "Content Creator" is still in use: it is the tenant\'s default role, and 1 group(s) carry it ("Staff"). Reassign first: choose another default role, and give those groups another role or none; then delete the role'
    )
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${staff.id}/role`, { roleId: null })
    const stillDefault = await deleteRole(tenant.id, roles['Content Creator'], 409)
    expect(stillDefault?.error.message).toContain("it is the tenant's default role.")
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, {
      defaultRoleId: roles.Analyst,
    })
    await deleteRole(tenant.id, roles['Content Creator'], 204)
    const { roles: left } = await adminJson<{ roles: { name: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/roles`
    )
    expect(left.map((r) => r.name)).toEqual(['Admin', 'Analyst'])
  })

  it('Should refuse to create or delete roles in groups-as-roles mode: the groups are the roles', async ({
    expect,
  }) => {
    const { tenant, roles } = await setup()
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'groups-as-roles' })
    const created = await adminJson<ErrorBody>(
      'POST',
      `/tenants/${tenant.id}/roles`,
      { name: 'Guards' },
      400
    )
    expect(created.error.message).toBe(
      "Roles cannot be created in groups-as-roles mode: every group is a role, so roles come from the identity provider's groups. Switch roleMode to group-roles to manage roles"
    )
    const deleted = await deleteRole(tenant.id, roles.Analyst, 400)
    expect(deleted?.error.message).toContain('Roles cannot be deleted in groups-as-roles mode')
  })
})
