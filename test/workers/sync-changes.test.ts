/**
 * Later pull sync runs follow the directory: users added to and removed from child groups,
 * nesting changes, a child group leaving the parent, a renamed parent configuration, attribute
 * sync, DNT stickiness, and the rule that two runs of one instance never overlap.
 */
import { describe, it } from 'vitest'
import { adminJson, reportAgents } from '../support/directory'
import {
  GROUP_ID,
  USER_ID,
  finishRun,
  mutate,
  pullTenant,
  syncNow,
  type PullOptions,
} from '../support/graph'
import { admin, json, scimClient, type TestTenant } from '../support/scim'

interface GroupView {
  id: string
  displayName: string
  externalId: string
  members?: { value: string }[]
}

async function groupsByName(tenant: TestTenant): Promise<Map<string, GroupView>> {
  const body = await json(await scimClient(tenant).get('/Groups?count=100'))
  return new Map((body.Resources as unknown as GroupView[]).map((g) => [g.displayName, g]))
}

async function memberUserNames(
  tenant: TestTenant,
  group: GroupView | undefined
): Promise<string[]> {
  const scim = scimClient(tenant)
  const names = await Promise.all(
    (group?.members ?? []).map(async (m) =>
      String((await json(await scim.get(`/Users/${m.value}`))).userName)
    )
  )
  return names.sort()
}

async function setup(options: PullOptions = {}) {
  const setup = await pullTenant(options)
  const first = await syncNow(setup.tenant.id, setup.instanceId)
  if (first.status !== 'succeeded') throw new Error(`first run ended ${first.status}`)
  return setup
}

describe('Entra pull sync: changes between runs', () => {
  it('Should follow members added to and removed from child groups, directly and through nesting', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await setup()
    await mutate(directory, [
      { op: 'addMember', groupId: GROUP_ID(2), member: USER_ID(11) },
      { op: 'removeMember', groupId: GROUP_ID(2), memberId: USER_ID(2) },
      { op: 'removeMember', groupId: GROUP_ID(3), memberId: GROUP_ID(4) },
    ])
    const run = await syncNow(tenant.id, instanceId)
    expect(run.counts).toMatchObject({
      membersAdded: 1,
      membersRemoved: 3,
      groupsUpdated: 1,
      groupsCreated: 0,
    })
    const groups = await groupsByName(tenant)
    expect(await memberUserNames(tenant, groups.get('Sales'))).toEqual([
      'AdeleV@contoso.com',
      'DiegoS@contoso.com',
      'LynneR@contoso.com',
      'annb_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    ])
    expect(groups.get('Support (Dynamic)')).toBeDefined()
  })

  it('Should keep users who left every parent active without groups, and report them', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await setup()
    await mutate(directory, [
      { op: 'removeMember', groupId: GROUP_ID(6), memberId: USER_ID(11) },
      { op: 'removeUser', userId: USER_ID(8) },
    ])
    const run = await syncNow(tenant.id, instanceId)
    expect(run.usersOutOfScope).toEqual({
      count: 2,
      sample: [
        { entraId: USER_ID(8), userName: 'JoniS@contoso.com' },
        { entraId: USER_ID(11), userName: 'LynneR@contoso.com' },
      ],
    })
    expect(run.counts.deletionsRequested).toBe(0)
    const scim = scimClient(tenant)
    for (const userName of ['JoniS@contoso.com', 'LynneR@contoso.com']) {
      const filter = encodeURIComponent(`userName eq "${userName}"`)
      const [user] = (await json(await scim.get(`/Users?filter=${filter}`))).Resources
      expect(await adminJson('GET', `/tenants/${tenant.id}/users/${user?.id ?? ''}`)).toMatchObject(
        { state: 'active', groups: [] }
      )
    }
    // Still out of scope on the next run: reported again, still kept.
    expect((await syncNow(tenant.id, instanceId)).usersOutOfScope.count).toBe(2)
  })

  it('Should delete the product group of a child group removed from the parent', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await setup()
    const before = await groupsByName(tenant)
    expect(before.has('Engineering')).toBe(true)
    await mutate(directory, [{ op: 'removeMember', groupId: GROUP_ID(1), memberId: GROUP_ID(5) }])
    const run = await syncNow(tenant.id, instanceId)
    expect(run.counts.groupsDeleted).toBe(1)
    expect((await groupsByName(tenant)).has('Engineering')).toBe(false)
    expect(
      (await scimClient(tenant).get(`/Groups/${before.get('Engineering')?.id ?? ''}`)).status
    ).toBe(404)
  })

  it('Should follow a renamed parent configuration without deleting the instance', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await setup()
    await mutate(directory, [
      {
        op: 'addGroup',
        group: { id: GROUP_ID(90), displayName: 'Tracked Teams', members: [GROUP_ID(14)] },
      },
    ])
    await adminJson('PATCH', `/tenants/${tenant.id}/instances/${instanceId}`, {
      groupsParent: 'Tracked Teams',
    })
    await reportAgents(tenant.id, [{ id: 'henrietta-pc', upn: 'HenriettaM@contoso.com' }])
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(run.counts).toMatchObject({ groupsCreated: 1, groupsDeleted: 3 })
    expect([...(await groupsByName(tenant)).keys()]).toEqual(["O'Brien's Team"])
  })

  it('Should rename a product group with its Entra group and keep its id', async ({ expect }) => {
    const { tenant, directory, instanceId } = await setup()
    const sales = (await groupsByName(tenant)).get('Sales')
    await mutate(directory, [
      { op: 'renameGroup', groupId: GROUP_ID(2), displayName: 'Sales & Partners' },
    ])
    await syncNow(tenant.id, instanceId)
    const renamed = (await groupsByName(tenant)).get('Sales & Partners')
    expect(renamed?.id).toBe(sales?.id)
  })

  it('Should update names and identifiers only with attribute sync, but always follow the account state', async ({
    expect,
  }) => {
    for (const syncAttributes of [false, true]) {
      const { tenant, directory, instanceId } = await setup({ syncAttributes })
      await mutate(directory, [
        {
          op: 'updateUser',
          userId: USER_ID(1),
          changes: {
            displayName: 'Adele V.',
            mail: 'adele.vance@contoso.com',
            accountEnabled: false,
          },
        },
      ])
      const run = await syncNow(tenant.id, instanceId)
      expect(run.counts.usersUpdated).toBe(1)
      const found = await json(
        await scimClient(tenant).get(
          `/Users?filter=${encodeURIComponent('userName eq "AdeleV@contoso.com"')}`
        )
      )
      const adele = found.Resources[0]
      expect(adele?.active).toBe(false)
      expect(adele?.displayName).toBe(syncAttributes ? 'Adele V.' : 'Adele Vance')
      expect(adele?.emails?.[0]?.value).toBe(
        syncAttributes ? 'adele.vance@contoso.com' : 'AdeleV@contoso.com'
      )
    }
  })

  it('Should keep DNT entries when a user leaves the DNT parent', async ({ expect }) => {
    const { tenant, directory, instanceId } = await setup()
    await mutate(directory, [{ op: 'removeMember', groupId: GROUP_ID(9), memberId: USER_ID(14) }])
    await syncNow(tenant.id, instanceId)
    const dnt = await adminJson<{ entries: { label: string; source: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/dnt`
    )
    expect(
      dnt.entries
        .filter((e) => e.source === 'pull-dnt')
        .map((e) => e.label)
        .sort()
    ).toEqual(['MeganB@contoso.com', 'NestorW@contoso.com'])
  })

  it('Should report, not merge, two child groups that share a name', async ({ expect }) => {
    const { tenant, directory, instanceId } = await setup()
    await mutate(directory, [
      { op: 'addGroup', group: { id: GROUP_ID(91), displayName: 'Sales', members: [USER_ID(1)] } },
      { op: 'addMember', groupId: GROUP_ID(1), member: GROUP_ID(91) },
    ])
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(run.errors.map((e) => e.message)).toEqual([
      `Group "Sales" (${GROUP_ID(91)}) was not applied: Entra groups ${GROUP_ID(2)} and ${GROUP_ID(91)} are both named "Sales"; group names are unique here: rename one in Entra ID`,
    ])
    const sales = (await groupsByName(tenant)).get('Sales')
    expect(sales?.externalId).toBe(GROUP_ID(2))
    expect(sales?.members).toHaveLength(6)
  })

  it('Should never run two syncs of one instance at once', async ({ expect }) => {
    const { tenant, instanceId } = await setup()
    expect((await admin('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`)).status).toBe(
      202
    )
    const second = await admin('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`)
    expect(second.status).toBe(409)
    expect((await second.json<{ error: { message: string } }>()).error.message).toContain(
      'already running'
    )
    expect((await finishRun(tenant.id, instanceId)).status).toBe('succeeded')
    expect((await admin('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`)).status).toBe(
      202
    )
  })
})
