/**
 * The Graph client against the fake Graph: group lookup by displayName (quotes, encoding, 0/1/
 * several matches), token caching and early renewal, tokens expiring mid-run, paging through
 * short pages with $select/$top/ConsistencyLevel on every request, and the three collections.
 */
import { describe, it } from 'vitest'
import { GROUP_SELECT, USER_SELECT, type CachedToken } from '../../../src/graph/client.ts'
import { displayNameFilter } from '../../../src/graph/query.ts'
import { refreshMarginMs } from '../../../src/graph/token.ts'
import { addGroup } from '../../fakes/graph/mutations.ts'
import { CONTOSO_ID, deviceId, groupId, GROUPS_PARENT, userId } from '../fakes/graph-helpers.ts'
import { collect, harness } from './client-setup.ts'

const PARENT_TRANSITIVE_USERS = [1, 2, 16, 5, 6, 7, 8, 9, 10, 11, 12, 13, 3, 4, 17].map(userId)

describe('findGroupsByDisplayName', () => {
  it.for([
    ['ActivTrak Groups', [GROUPS_PARENT]],
    ['activtrak do not track', [groupId(8)]],
    ["O'Brien's Team", [groupId(14)]],
    ['Finance', [groupId(15), groupId(16)]],
    ['Nobody', []],
  ] as const)('Should resolve %s', async ([name, expected], { expect }) => {
    const { client } = harness()
    expect((await client.findGroupsByDisplayName(name)).map((g) => g.id)).toEqual(expected)
  })

  it('Should double quotes, percent-encode, send $select and $top, at Low', async ({ expect }) => {
    const { client, fake } = harness()
    const [group] = await client.findGroupsByDisplayName("O'Brien's Team")
    expect(group).toEqual({
      id: groupId(14),
      displayName: "O'Brien's Team",
      groupTypes: [],
      securityEnabled: true,
      mailEnabled: false,
      membershipRule: null,
    })
    expect(fake.stats(CONTOSO_ID).log.filter((e) => e.kind === 'graph')).toEqual([
      {
        kind: 'graph',
        method: 'GET',
        path: '/v1.0/groups',
        query: {
          $filter: "displayName eq 'O''Brien''s Team'",
          $select: GROUP_SELECT.join(','),
          $top: '999',
        },
        status: 200,
        consistencyLevel: null,
        throttlePriority: 'Low',
      },
    ])
  })

  it('Should find names with #, &, + and %', async ({ expect }) => {
    const { client, fake } = harness()
    addGroup(fake.directory(CONTOSO_ID), { id: 'g-special', displayName: "R&D #1 + 50% 'x'" })
    const found = await client.findGroupsByDisplayName("R&D #1 + 50% 'x'")
    expect(found.map((g) => g.id)).toEqual(['g-special'])
    expect(displayNameFilter("O'B #1&")).toBe('displayName%20eq%20%27O%27%27B%20%231%26%27')
  })

  it('Should follow every page of matches', async ({ expect }) => {
    const { client, fake } = harness()
    fake.setFaults(CONTOSO_ID, { pageSize: 1 })
    const found = await client.findGroupsByDisplayName('Finance')
    expect(found.map((g) => g.id)).toEqual([groupId(15), groupId(16)])
    expect(client.requestsMade).toBe(2)
  })
})

describe('token handling', () => {
  it('Should reuse the token and renew it 5 minutes before expiry', async ({ expect }) => {
    const { client, advance } = harness()
    await client.getGroup(GROUPS_PARENT)
    await client.getGroup(GROUPS_PARENT)
    expect(client.tokenRequestsMade).toBe(1)
    advance(3599_000 - 300_000 - 1)
    await client.getGroup(GROUPS_PARENT)
    expect(client.tokenRequestsMade).toBe(1)
    advance(1)
    await client.getGroup(GROUPS_PARENT)
    expect(client.tokenRequestsMade).toBe(2)
  })

  it('Should renew short-lived tokens 10% of their lifetime early', async ({ expect }) => {
    const { client, advance, fake } = harness()
    fake.setFaults(CONTOSO_ID, { tokenLifetimeSeconds: 600 })
    await client.getGroup(GROUPS_PARENT)
    advance(539_999)
    await client.getGroup(GROUPS_PARENT)
    expect(client.tokenRequestsMade).toBe(1)
    advance(1)
    await client.getGroup(GROUPS_PARENT)
    expect(client.tokenRequestsMade).toBe(2)
    expect([refreshMarginMs(3_599_000), refreshMarginMs(600_000)]).toEqual([300_000, 60_000])
  })

  it('Should make one token request for concurrent calls', async ({ expect }) => {
    const { client } = harness()
    await Promise.all([client.getGroup(GROUPS_PARENT), client.getGroup(groupId(2))])
    expect([client.tokenRequestsMade, client.requestsMade]).toEqual([1, 2])
  })

  it('Should share a token through the injected cache', async ({ expect }) => {
    let stored: CachedToken | undefined
    const tokenCache = { get: () => stored, set: (t: CachedToken) => void (stored = t) }
    const { client, another } = harness({ tokenCache })
    await client.getGroup(GROUPS_PARENT)
    const second = another()
    await second.getGroup(GROUPS_PARENT)
    expect([client.tokenRequestsMade, second.tokenRequestsMade]).toEqual([1, 0])
    expect(stored).toMatchObject({ expiresAtMs: 1_700_003_599_000, refreshAtMs: 1_700_003_299_000 })
  })

  it('Should recover transparently when tokens expire mid-run', async ({ expect }) => {
    const { client, fake } = harness()
    fake.setFaults(CONTOSO_ID, { expireTokensAfterRequests: 2, pageSize: 3 })
    const first = client.firstPageUrl('transitiveUsers', GROUPS_PARENT)
    const users = await collect(first, (u) => client.getUsersPage(u))
    expect(users.map((u) => u.id)).toEqual(PARENT_TRANSITIVE_USERS)
    const stats = fake.stats(CONTOSO_ID)
    expect(stats.byStatus).toEqual({ '200': 5, '401': 2 })
    expect(client.tokenRequestsMade).toBe(3)
  })
})

describe('pages', () => {
  it('Should re-send $select, $top=999 and ConsistencyLevel on every page', async ({ expect }) => {
    const { client, fake } = harness()
    fake.setFaults(CONTOSO_ID, { pageSize: 4 })
    const first = client.firstPageUrl('transitiveUsers', GROUPS_PARENT)
    const users = await collect(first, (u) => client.getUsersPage(u))
    expect(users.map((u) => u.id)).toEqual(PARENT_TRANSITIVE_USERS)
    const log = fake.stats(CONTOSO_ID).log.filter((e) => e.kind === 'graph')
    expect(log).toHaveLength(4)
    for (const [i, entry] of log.entries()) {
      expect(entry).toMatchObject({
        path: `/v1.0/groups/${GROUPS_PARENT}/transitiveMembers/microsoft.graph.user`,
        query: { $select: USER_SELECT.join(','), $top: '999', $count: 'true' },
        consistencyLevel: 'eventual',
        throttlePriority: 'Low',
      })
      expect('$skiptoken' in entry.query).toBe(i > 0)
    }
    expect(client.requestsMade).toBe(4)
  })

  it('Should parse users with nulls for what they lack', async ({ expect }) => {
    const { client } = harness()
    const page = await client.getUsersPage(client.firstPageUrl('transitiveUsers', groupId(5)))
    expect(page.nextLink).toBeUndefined()
    expect(page.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(page.items.find((u) => u.id === userId(6))).toEqual({
      id: userId(6),
      userPrincipalName: 'IsaiahL@contoso.com',
      mail: null,
      employeeId: 'E1006',
      displayName: 'Isaiah Langer',
      givenName: 'Isaiah',
      surname: 'Langer',
      accountEnabled: true,
      otherMails: [],
      proxyAddresses: [],
      userType: 'Member',
    })
  })

  it('Should list child groups with their types', async ({ expect }) => {
    const { client } = harness()
    const page = await client.getGroupsPage(client.firstPageUrl('childGroups', GROUPS_PARENT))
    const rows = page.items.map((g) => [
      g.displayName,
      g.groupTypes,
      g.securityEnabled,
      g.membershipRule,
    ])
    expect(rows).toEqual([
      ['Sales', [], true, null],
      ['Engineering', [], true, null],
      ['Support (Dynamic)', ['DynamicMembership'], true, '(user.department -eq "Support")'],
      ['Marketing', ['Unified'], false, null],
    ])
  })

  it('Should tell users, groups and other objects apart among members', async ({ expect }) => {
    const { client } = harness()
    const members = (n: number) =>
      client.getDirectoryObjectsPage(client.firstPageUrl('directMembers', groupId(n)))
    const page = await members(3)
    expect(page.items.map((o) => o.kind)).toEqual(['user', 'group'])
    const [, group] = page.items
    const name = group?.kind === 'group' ? group.group.displayName : undefined
    expect(name).toBe('Sales EMEA Partners')
    expect((await members(4)).items.at(-1)).toEqual({
      kind: 'other',
      odataType: '#microsoft.graph.device',
      id: deviceId(1),
    })
  })

  it('Should build first-page URLs for each collection', ({ expect }) => {
    const { client } = harness()
    const base = `https://graph.microsoft.com/v1.0/groups/${GROUPS_PARENT}`
    expect(client.firstPageUrl('childGroups', GROUPS_PARENT)).toBe(
      `${base}/members/microsoft.graph.group?$select=${GROUP_SELECT.join(',')}&$top=999&$count=true`
    )
    expect(client.firstPageUrl('transitiveUsers', GROUPS_PARENT)).toBe(
      `${base}/transitiveMembers/microsoft.graph.user?$select=${USER_SELECT.join(',')}&$top=999&$count=true`
    )
    expect(client.firstPageUrl('directMembers', GROUPS_PARENT)).toBe(
      `${base}/members?$select=id,userPrincipalName,mail,employeeId,displayName,accountEnabled,otherMails,proxyAddresses,userType,givenName,surname,groupTypes,securityEnabled,mailEnabled,membershipRule&$top=999`
    )
  })

  it('Should read a group by id', async ({ expect }) => {
    const { client } = harness()
    expect(await client.getGroup(groupId(7))).toEqual({
      id: groupId(7),
      displayName: 'Marketing',
      groupTypes: ['Unified'],
      securityEnabled: false,
      mailEnabled: true,
      membershipRule: null,
    })
  })
})
