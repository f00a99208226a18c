/**
 * The console's Roles page through the Worker's fetch: the role mode explained and switched, the
 * default role chosen, roles listed with the groups that carry them, created and deleted (the
 * domain's refusal of a role in use shown with the groups it names), the groups listed as roles
 * in groups-as-roles mode, names from SCIM escaped, and another tenant's admin kept out.
 */
import { describe, it } from 'vitest'
import { signedIn, textOf, type Browser } from '../support/console'
import { adminJson } from '../support/directory'
import { createTenant, json, scimClient, type TestTenant } from '../support/scim'

interface RoleList {
  roleMode: string
  defaultRoleId: string | null
  roles: { id: string; name: string }[]
}

const roles = (tenant: TestTenant) => adminJson<RoleList>('GET', `/tenants/${tenant.id}/roles`)

const roleId = async (tenant: TestTenant, name: string): Promise<string> =>
  (await roles(tenant)).roles.find((r) => r.name === name)?.id ?? ''

async function group(tenant: TestTenant, displayName: string, members: string[] = []) {
  const res = await scimClient(tenant).post('/Groups', {
    displayName,
    members: members.map((value) => ({ value })),
  })
  if (res.status !== 201) throw new Error(`group: ${String(res.status)} ${await res.text()}`)
  return (await json(res)).id
}

const carry = (tenant: TestTenant, groupId: string, role: string) =>
  adminJson('PUT', `/tenants/${tenant.id}/groups/${groupId}/role`, { roleId: role })

async function page(b: Browser, path = '/console/roles'): Promise<string> {
  return (await b.get(path)).text()
}

describe('Console roles', () => {
  it('Should explain both modes and list the roles with the groups that carry them', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'ro1@acme.test' })
    const first = textOf(await page(b))
    expect(first).toContain('Role mode Group roles')
    expect(first).toContain(
      'Group roles A group may grant a role: each user gets the role of the role-bearing group they joined most recently, and users in none get the default role.'
    )
    expect(first).toContain(
      "Groups as roles Every group is a role: each user's role is the group they joined most recently"
    )
    expect(first).toContain('Content Creator Default No group')

    const created = await b.post('/console/roles', { name: 'Editors' })
    expect(created.status).toBe(303)
    expect(created.headers.get('Location')).toBe('/console/roles?done=created')
    const editors = await roleId(tenant, 'Editors')
    await carry(tenant, await group(tenant, 'Sales'), editors)
    await carry(tenant, await group(tenant, 'Support'), editors)
    const listed = textOf(await page(b, '/console/roles?done=created'))
    expect(listed).toContain('The role is created.')
    expect(listed).toContain('Editors 2 group(s)')
    expect((await b.post('/console/roles', { name: 'editors' })).status).toBe(409)
  })

  it('Should delete an unused role after confirming, and show why a role in use cannot go', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'ro2@acme.test' })
    await page(b)
    await b.post('/console/roles', { name: 'Editors' })
    await b.post('/console/roles', { name: 'Viewers' })
    const editors = await roleId(tenant, 'Editors')
    await carry(tenant, await group(tenant, 'Sales'), editors)

    const html = await page(b)
    expect(html).toContain(`action="/console/roles/${editors}/delete"`)
    expect(html).toContain('data-confirm="Delete the role &quot;Editors&quot;?')
    const refused = await b.post(`/console/roles/${editors}/delete`, {})
    expect(refused.status).toBe(409)
    expect(textOf(await refused.text())).toContain(
      'Role "Editors" is still in use: 1 group(s) carry it ("Sales"). Reassign first'
    )
    const creator = await roleId(tenant, 'Content Creator')
    const theDefault = await b.post(`/console/roles/${creator}/delete`, {})
    expect(theDefault.status).toBe(409)
    expect(textOf(await theDefault.text())).toContain("it is the tenant's default role")

    const viewers = await roleId(tenant, 'Viewers')
    const deleted = await b.post(`/console/roles/${viewers}/delete`, {})
    expect(deleted.status).toBe(303)
    expect((await roles(tenant)).roles.map((r) => r.name)).toEqual(['Content Creator', 'Editors'])
    expect(textOf(await page(b, '/console/roles?done=deleted'))).toContain('The role is deleted.')
  })

  it('Should change the default role, or clear it', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'ro3@acme.test' })
    await page(b)
    await b.post('/console/roles', { name: 'Viewers' })
    const viewers = await roleId(tenant, 'Viewers')
    expect((await b.post('/console/roles/default', { defaultRoleId: viewers })).status).toBe(303)
    expect((await roles(tenant)).defaultRoleId).toBe(viewers)
    const html = await page(b)
    expect(html).toContain(`<option value="${viewers}" selected="">Viewers</option>`)
    expect(textOf(html)).toContain('Viewers Default No group')
    expect((await b.post('/console/roles/default', { defaultRoleId: '' })).status).toBe(303)
    expect((await roles(tenant)).defaultRoleId).toBeNull()
  })

  it('Should switch to groups as roles, list the groups as the roles, and refuse new roles there', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const user = await json(await scimClient(tenant).post('/Users', { userName: 'gr@contoso.com' }))
    const sales = await group(tenant, 'Sales', [user.id])
    const b = await signedIn(tenant.id, { email: 'ro4@acme.test' })
    const before = await page(b)
    expect(before).toContain('data-confirm="Switch to Groups as roles?')
    expect((await b.post('/console/roles/mode', { roleMode: 'groups-as-roles' })).status).toBe(303)
    expect((await roles(tenant)).roleMode).toBe('groups-as-roles')
    const userRole = await adminJson<{ role: { kind: string; id: string } }>(
      'GET',
      `/tenants/${tenant.id}/users/${user.id}`
    )
    expect(userRole.role).toMatchObject({ kind: 'group', id: sales })

    const html = await page(b, '/console/roles?done=mode')
    const text = textOf(html)
    expect(text).toContain('Role mode Groups as roles')
    expect(text).toContain("The role mode is switched and every user's role is recomputed.")
    expect(text).toContain('Groups, each a role Role (group) Users User agents Sales 1 0')
    expect(html).toContain(`href="/console/groups/${sales}"`)
    expect(html).not.toContain('New role name')
    const refused = await b.post('/console/roles', { name: 'Editors' })
    expect(refused.status).toBe(400)
    expect(textOf(await refused.text())).toContain(
      'Roles cannot be created in groups-as-roles mode'
    )
    expect((await b.post('/console/roles/mode', { roleMode: 'group-roles' })).status).toBe(303)
    expect((await roles(tenant)).roleMode).toBe('group-roles')
  })

  it('Should render group names from SCIM as text in refusals and in the groups-as-roles list', async ({
    expect,
  }) => {
    const evil = '<script>alert(1)</script>'
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'ro5@acme.test' })
    await page(b)
    await b.post('/console/roles', { name: 'Editors' })
    await carry(tenant, await group(tenant, evil), await roleId(tenant, 'Editors'))
    const refused = await (
      await b.post(`/console/roles/${await roleId(tenant, 'Editors')}/delete`, {})
    ).text()
    expect(refused).not.toContain(evil)
    expect(refused).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    await b.post('/console/roles/mode', { roleMode: 'groups-as-roles' })
    const list = await page(b)
    expect(list).not.toContain(evil)
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</a>')
  })

  it("Should answer 404 to another tenant's admin for its roles, and change nothing", async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const other = await createTenant()
    const creator = await roleId(tenant, 'Content Creator')
    const stranger = await signedIn(other.id, { email: 'ro6@acme.test' })
    expect(await page(stranger)).not.toContain(creator)
    expect((await stranger.post(`/console/roles/${creator}/delete`, {})).status).toBe(404)
    expect((await stranger.post('/console/roles/default', { defaultRoleId: creator })).status).toBe(
      404
    )
    expect((await roles(tenant)).roles.map((r) => r.id)).toEqual([creator])
    expect((await roles(other)).defaultRoleId).not.toBe(creator)
  })
})
