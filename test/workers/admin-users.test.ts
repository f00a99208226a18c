/**
 * The users list of the admin API: what a list page shows per user, ordered by userName, and a
 * prefix search over userName, displayName, every email and employeeNumber, with the state.
 */
import { beforeAll, describe, it } from 'vitest'
import { ACTIVTRAK, ENTERPRISE, adminJson, reportAgents } from '../support/directory'
import { createTenant, json, scimClient, type TestTenant } from '../support/scim'

interface UserItem {
  id: string
  userName: string
  displayName: string | null
  primaryEmail: string | null
  employeeNumber: string | null
  state: string
  agentCount: number
  doNotTrack: boolean
  role: { kind: string; id: string; name: string | null; viaGroupId: string | null } | null
}
interface UsersPage {
  users: UserItem[]
  nextCursor: string | null
}

describe('Listing and searching users', () => {
  let tenant: TestTenant
  const ids: Record<string, string> = {}
  const roles: Record<string, string> = {}
  let adminsGroup = ''

  const usersPage = (query: string) =>
    adminJson<UsersPage>('GET', `/tenants/${tenant.id}/users?${query}`)
  const search = async (query: string) => (await usersPage(query)).users.map((u) => u.userName)

  beforeAll(async () => {
    tenant = await createTenant()
    const scim = scimClient(tenant)
    for (const name of ['Viewer', 'Admin']) {
      roles[name] = (
        await adminJson<{ id: string }>('POST', `/tenants/${tenant.id}/roles`, { name }, 201)
      ).id
    }
    await adminJson('PATCH', `/tenants/${tenant.id}/role-settings`, {
      defaultRoleId: roles.Viewer,
    })
    const people = [
      {
        userName: 'ada.lovelace@contoso.com',
        displayName: 'Ada Lovelace',
        emails: [
          { value: 'ada@home.example', type: 'home' },
          { value: 'Ada.Lovelace@Contoso.com', type: 'work', primary: true },
        ],
        [ENTERPRISE]: { employeeNumber: 'E-100' },
      },
      {
        userName: 'grace@contoso.com',
        displayName: 'Grace Hopper',
        active: false,
        emails: [{ value: 'Admiral@navy.example', type: 'work' }],
        [ENTERPRISE]: { employeeNumber: '7001' },
        [ACTIVTRAK]: { tracking: false },
      },
      {
        userName: 'Alan@contoso.com',
        displayName: 'Alan Turing',
        [ENTERPRISE]: { employeeNumber: 'AD-42' },
      },
      {
        userName: 'dave@contoso.com',
        displayName: 'Dad',
        emails: [{ value: 'x@ad.example', type: 'work' }],
      },
    ]
    for (const p of people) ids[p.userName] = (await json(await scim.post('/Users', p))).id
    await reportAgents(tenant.id, [{ id: 'ada-pc', upn: 'ada.lovelace@contoso.com' }])
    const group = await json(
      await scim.post('/Groups', {
        displayName: 'Admins',
        members: [{ value: ids['grace@contoso.com'] }],
      })
    )
    adminsGroup = group.id
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${group.id}/role`, {
      roleId: roles.Admin,
    })
  })

  it('Should show per user what a list page needs, ordered by userName case-insensitively', async ({
    expect,
  }) => {
    const first = await usersPage('limit=2')
    expect(first.users).toEqual([
      expect.objectContaining({
        id: ids['ada.lovelace@contoso.com'],
        userName: 'ada.lovelace@contoso.com',
        displayName: 'Ada Lovelace',
        primaryEmail: 'Ada.Lovelace@Contoso.com',
        employeeNumber: 'E-100',
        state: 'active',
        agentCount: 1,
        doNotTrack: false,
        role: {
          kind: 'default',
          id: roles.Viewer,
          name: 'Viewer',
          viaGroupId: null,
        },
      }),
      expect.objectContaining({ userName: 'Alan@contoso.com', primaryEmail: null, agentCount: 0 }),
    ])
    const rest = await usersPage(`limit=2&cursor=${first.nextCursor ?? ''}`)
    expect(rest.users.map((u) => u.userName)).toEqual(['dave@contoso.com', 'grace@contoso.com'])
    expect(rest.users[1]).toMatchObject({
      primaryEmail: 'Admiral@navy.example',
      employeeNumber: '7001',
      state: 'suspended',
      doNotTrack: true,
      role: { kind: 'group-role', id: roles.Admin, name: 'Admin', viaGroupId: adminsGroup },
    })
    expect(rest.nextCursor).toBeNull()
  })

  it.for<[string, string[]]>([
    ['ad', ['ada.lovelace@contoso.com', 'Alan@contoso.com', 'grace@contoso.com']],
    ['ADA.', ['ada.lovelace@contoso.com']],
    ['grace h', ['grace@contoso.com']],
    ['ada@home', ['ada.lovelace@contoso.com']],
    ['70', ['grace@contoso.com']],
    ['e-1', ['ada.lovelace@contoso.com']],
    ['x@ad', ['dave@contoso.com']],
    ['lovelace', []],
  ])(
    'Should find q=%s by a prefix of userName, displayName, any email or employeeNumber',
    async ([q, expected], { expect }) => {
      expect(await search(`q=${encodeURIComponent(q)}`)).toEqual(expected)
    }
  )

  it('Should combine the search with the state and page it stably', async ({ expect }) => {
    expect(await search('q=ad&state=active')).toEqual([
      'ada.lovelace@contoso.com',
      'Alan@contoso.com',
    ])
    expect(await search('q=ad&state=suspended')).toEqual(['grace@contoso.com'])
    const seen: string[] = []
    let cursor: string | null = ''
    for (let guard = 0; cursor !== null && guard < 5; guard++) {
      const page: UsersPage = await usersPage(`q=ad&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.users.map((u) => u.userName))
      cursor = page.nextCursor
    }
    expect(seen).toEqual(['ada.lovelace@contoso.com', 'Alan@contoso.com', 'grace@contoso.com'])
  })

  it('Should show the same fields on the user page', async ({ expect }) => {
    const user = await adminJson<UserItem & { groups: { id: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/users/${ids['grace@contoso.com'] ?? ''}`
    )
    expect(user).toMatchObject({
      primaryEmail: 'Admiral@navy.example',
      employeeNumber: '7001',
      role: { kind: 'group-role', name: 'Admin' },
      groups: [{ id: adminsGroup, displayName: 'Admins' }],
    })
  })
})
