/**
 * The fake Graph's groups and members against docs/graph-sync.md: lookup by displayName (§3),
 * casts needing ConsistencyLevel + $count (§4), nesting with a cycle, Microsoft 365 and dynamic
 * groups (§6), devices, the limited-information form and permissions (§2), and the request log.
 */
import { describe, it } from 'vitest'
import { setPermissions } from '../../fakes/graph/mutations.ts'
import {
  bodyOf,
  CONTOSO_ID,
  contosoFake,
  deviceId,
  EVENTUAL,
  graphGet,
  groupId,
  GROUPS_PARENT,
  ids,
  tokenOf,
  userId,
} from './graph-helpers.ts'

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const USER = '#microsoft.graph.user'
const GROUP = '#microsoft.graph.group'

describe('fake Graph group lookup', () => {
  it.for([
    ["O''Brien''s Team", [groupId(14)]],
    ['activtrak GROUPS', [GROUPS_PARENT]],
    ['Finance', [groupId(15), groupId(16)]],
    ['Nobody', []],
  ] as const)(
    "Should find groups by displayName eq '%s'",
    async ([literal, expected], { expect }) => {
      const fake = contosoFake()
      const filter = encodeURIComponent(`displayName eq '${literal}'`)
      const path = `/v1.0/groups?$filter=${filter}&$select=id,displayName`
      const body = await bodyOf(await graphGet(fake, await tokenOf(fake), path))
      expect(body['@odata.context']).toBe(`${METADATA}#groups(id,displayName)`)
      expect(body.value?.map((g) => g['id'])).toEqual(expected)
    }
  )
})

describe('fake Graph members', () => {
  it.for([
    ['no header, no $count', {}, ''],
    ['no $count', EVENTUAL, ''],
    ['no header', {}, '&$count=true'],
  ] as const)('Should refuse a cast segment with %s', async ([, headers, count], { expect }) => {
    const fake = contosoFake()
    const path = `/v1.0/groups/${GROUPS_PARENT}/members/microsoft.graph.group?$select=id${count}`
    const res = await graphGet(fake, await tokenOf(fake), path, headers)
    expect(res.status).toBe(400)
    expect((await bodyOf(res)).error?.code).toBe('Request_UnsupportedQuery')
  })

  it('Should list child groups with types, Microsoft 365 and dynamic too', async ({ expect }) => {
    const fake = contosoFake()
    const select = 'id,displayName,groupTypes,membershipRule'
    const cast = `/v1.0/groups/${GROUPS_PARENT}/members/microsoft.graph.group`
    const path = `${cast}?$select=${select}&$count=true`
    const body = await bodyOf(await graphGet(fake, await tokenOf(fake), path, EVENTUAL))
    expect(body['@odata.count']).toBe(4)
    expect(body.value).toEqual([
      { id: groupId(2), displayName: 'Sales', groupTypes: [], membershipRule: null },
      { id: groupId(5), displayName: 'Engineering', groupTypes: [], membershipRule: null },
      {
        id: groupId(6),
        displayName: 'Support (Dynamic)',
        groupTypes: ['DynamicMembership'],
        membershipRule: '(user.department -eq "Support")',
      },
      { id: groupId(7), displayName: 'Marketing', groupTypes: ['Unified'], membershipRule: null },
    ])
  })

  it('Should tag members with @odata.type; devices are type and id only', async ({ expect }) => {
    const fake = contosoFake()
    const path = `/v1.0/groups/${groupId(4)}/members?$select=id,userPrincipalName`
    const body = await bodyOf(await graphGet(fake, await tokenOf(fake), path))
    expect(body['@odata.context']).toBe(`${METADATA}#directoryObjects(id,userPrincipalName)`)
    expect(body.value).toEqual([
      { '@odata.type': USER, id: userId(4), userPrincipalName: 'GradyA@contoso.com' },
      {
        '@odata.type': USER,
        id: userId(17),
        userPrincipalName: 'bob.kelly_northwindtraders.com#EXT#@contoso.onmicrosoft.com',
      },
      { '@odata.type': '#microsoft.graph.device', id: deviceId(1) },
    ])
  })

  it.for([
    [
      groupId(2),
      [
        userId(1),
        userId(2),
        userId(16),
        groupId(3),
        userId(3),
        groupId(4),
        userId(4),
        userId(17),
        deviceId(1),
      ],
    ],
    // Project Falcon <-> Project Falcon Core is a cycle: each object once, the group itself never.
    [groupId(12), [userId(2), groupId(13), userId(9)]],
    [groupId(13), [userId(9), groupId(12), userId(2)]],
  ] as const)(
    'Should flatten transitiveMembers of %s breadth-first',
    async ([group, expected], { expect }) => {
      const fake = contosoFake()
      const path = `/v1.0/groups/${group}/transitiveMembers?$select=id`
      const res = await graphGet(fake, await tokenOf(fake), path)
      expect(ids([await bodyOf(res)])).toEqual(expected)
    }
  )

  it('Should return limited-information users without User.Read.All', async ({ expect }) => {
    const fake = contosoFake()
    setPermissions(fake.directory(CONTOSO_ID), ['GroupMember.Read.All'])
    const token = await tokenOf(fake)
    const select = 'id,userPrincipalName,mail,displayName'
    const res = await graphGet(fake, token, `/v1.0/groups/${groupId(3)}/members?$select=${select}`)
    expect((await bodyOf(res)).value).toEqual([
      {
        '@odata.type': USER,
        id: userId(3),
        userPrincipalName: null,
        mail: null,
        displayName: null,
      },
      { '@odata.type': GROUP, id: groupId(4), mail: null, displayName: 'Sales EMEA Partners' },
    ])
    const users = await graphGet(fake, token, `/v1.0/users/${userId(3)}`)
    expect(users.status).toBe(403)
    expect((await bodyOf(users)).error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    })
  })

  it('Should deny member lists without any group permission', async ({ expect }) => {
    const fake = contosoFake()
    setPermissions(fake.directory(CONTOSO_ID), ['User.Read.All'])
    const res = await graphGet(fake, await tokenOf(fake), `/v1.0/groups/${groupId(3)}/members`)
    expect(res.status).toBe(403)
    expect(fake.stats(CONTOSO_ID).byStatus).toEqual({ '403': 1 })
  })

  it('Should log the path, decoded query and headers of Graph calls', async ({ expect }) => {
    const fake = contosoFake()
    const collection = `/v1.0/groups/${GROUPS_PARENT}/members/microsoft.graph.group`
    const headers = { ...EVENTUAL, 'x-ms-throttle-priority': 'Low' }
    const token = await tokenOf(fake)
    await graphGet(fake, token, `${collection}?$select=id&$top=999&$count=true`, headers)
    expect(fake.stats(CONTOSO_ID).log.at(-1)).toEqual({
      kind: 'graph',
      method: 'GET',
      path: collection,
      query: { $select: 'id', $top: '999', $count: 'true' },
      status: 200,
      consistencyLevel: 'eventual',
      throttlePriority: 'Low',
    })
  })
})
