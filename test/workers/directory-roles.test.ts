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

  it('Should recompute everyone when the mode changes, and refuse unknown or default roles', async ({
    expect,
  }) => {
    const { tenant, scim, roles } = await setup()
    const user = await json(await scim.post('/Users', { userName: 'm@contoso.com' }))
    const team = await json(
      await scim.post('/Groups', { displayName: 'Team', members: [{ value: user.id }] })
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'default' })
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'groups-as-roles' })
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'group', id: team.id })
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { defaultRoleId: 'nope' }, 404)
    await adminJson(
      'DELETE',
      `/tenants/${tenant.id}/roles/${roles['Content Creator'] ?? ''}`,
      undefined,
      400
    )
    await adminJson('POST', `/tenants/${tenant.id}/roles`, { name: 'admin' }, 409)
  })
})
