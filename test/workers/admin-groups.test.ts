/**
 * The groups list of the admin API: keyset pages by displayName (case-insensitively), a prefix
 * search, and per group its user members, the agents of those users and the role it carries.
 */
import { describe, it } from 'vitest'
import { adminJson, reportAgents } from '../support/directory'
import { createTenant, json, scimClient, type TestTenant } from '../support/scim'

interface GroupItem {
  id: string
  displayName: string
  userMemberCount: number
  agentMemberCount: number
  isRole: boolean
  role: { id: string; name: string | null } | null
}
interface GroupsPage {
  roleMode: string
  groups: GroupItem[]
  nextCursor: string | null
}

const groupsPage = (tenant: TestTenant, query: string) =>
  adminJson<GroupsPage>('GET', `/tenants/${tenant.id}/groups?${query}`)

async function setup() {
  const tenant = await createTenant()
  const scim = scimClient(tenant)
  const user = async (userName: string) => (await json(await scim.post('/Users', { userName }))).id
  const [ann, bob, cy] = [
    await user('ann@contoso.com'),
    await user('bob@contoso.com'),
    await user('cy@contoso.com'),
  ]
  await reportAgents(tenant.id, [
    { id: 'ann-laptop', upn: 'ann@contoso.com' },
    { id: 'ann-desktop', upn: 'ann@contoso.com' },
    { id: 'bob-laptop', upn: 'bob@contoso.com' },
    { id: 'nobody-pc', upn: 'nobody@contoso.com' },
  ])
  const group = async (displayName: string, members: string[]) =>
    (
      await json(
        await scim.post('/Groups', { displayName, members: members.map((value) => ({ value })) })
      )
    ).id
  const ids = {
    beta: await group('beta', [ann, bob]),
    Alpha: await group('Alpha', [ann]),
    gamma: await group('gamma', []),
    Alpine: await group('Alpine', [cy]),
  }
  const admin = await adminJson<{ id: string }>(
    'POST',
    `/tenants/${tenant.id}/roles`,
    { name: 'Admin' },
    201
  )
  await adminJson('PUT', `/tenants/${tenant.id}/groups/${ids.Alpha}/role`, { roleId: admin.id })
  return { tenant, ids, adminRoleId: admin.id }
}

describe('Listing groups', () => {
  it('Should page groups by displayName, case-insensitively, with member counts and role', async ({
    expect,
  }) => {
    const { tenant, ids, adminRoleId } = await setup()
    const first = await groupsPage(tenant, 'limit=2')
    expect(first.groups).toEqual([
      expect.objectContaining({
        id: ids.Alpha,
        displayName: 'Alpha',
        userMemberCount: 1,
        agentMemberCount: 2,
        isRole: false,
        role: { id: adminRoleId, name: 'Admin' },
      }),
      expect.objectContaining({ displayName: 'Alpine', userMemberCount: 1, agentMemberCount: 0 }),
    ])
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await groupsPage(tenant, `limit=2&cursor=${first.nextCursor ?? ''}`)
    expect(second.groups).toEqual([
      expect.objectContaining({
        displayName: 'beta',
        userMemberCount: 2,
        agentMemberCount: 3,
        role: null,
      }),
      expect.objectContaining({ displayName: 'gamma', userMemberCount: 0, agentMemberCount: 0 }),
    ])
    expect(second.nextCursor).toBeNull()
  })

  it('Should find groups by a displayName prefix, case-insensitively', async ({ expect }) => {
    const { tenant } = await setup()
    const names = async (q: string) =>
      (await groupsPage(tenant, `q=${encodeURIComponent(q)}`)).groups.map((g) => g.displayName)
    expect(await names('alp')).toEqual(['Alpha', 'Alpine'])
    expect(await names('ALPH')).toEqual(['Alpha'])
    expect(await names('be')).toEqual(['beta'])
    expect(await names('zz')).toEqual([])
    const page = await groupsPage(tenant, 'q=a&limit=1')
    expect(page.groups.map((g) => g.displayName)).toEqual(['Alpha'])
    const rest = await groupsPage(tenant, `q=a&limit=1&cursor=${page.nextCursor ?? ''}`)
    expect(rest.groups.map((g) => g.displayName)).toEqual(['Alpine'])
  })

  it('Should show each group as its own role in groups-as-roles mode', async ({ expect }) => {
    const { tenant, ids } = await setup()
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, { roleMode: 'groups-as-roles' })
    const page = await groupsPage(tenant, 'q=beta')
    expect(page).toMatchObject({
      roleMode: 'groups-as-roles',
      groups: [{ id: ids.beta, isRole: true, role: { id: ids.beta, name: 'beta' } }],
    })
  })

  it('Should answer 400 for a cursor it did not make', async ({ expect }) => {
    const tenant = await createTenant()
    const res = await adminJson<{ error: { message: string } }>(
      'GET',
      `/tenants/${tenant.id}/groups?cursor=not-ours`,
      undefined,
      400
    )
    expect(res.error.message).toContain('"not-ours" is not a cursor of this list')
  })
})
