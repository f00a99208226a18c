/**
 * The D1 round trips each kind of SCIM request makes in the Worker: what a request costs in
 * latency when D1 is remote, so a change that adds a round trip to a hot path fails here.
 * Writes are counted up to the tenant's object; the object's own trips are counted apart: a hot
 * write is one batch, with no read before it, once the object knows what the write touches.
 */
import { beforeAll, describe, it } from 'vitest'
import { tapTenantObject, type ObjectTrips } from '../support/object-trips'
import { scimTrips } from '../support/round-trips'
import {
  admin,
  createTenant,
  json,
  patchOp,
  scimClient,
  withWrongSecret,
  type TestTenant,
} from '../support/scim'

/** More users than one relation query of 90 ids covers, so a page of 100 shows its cost. */
const PAGE_USERS = 95

interface Fixture {
  tenant: TestTenant
  userId: string
  groupId: string
  spareUserIds: string[]
}

interface Case {
  name: string
  method: string
  path: (f: Fixture) => string
  body?: (f: Fixture) => unknown
  status: number
  trips: number
}

const eq = (attr: string, value: string) => `?filter=${encodeURIComponent(`${attr} eq "${value}"`)}`

const cases: Case[] = [
  // Reads: the key check, the resource or page, its total and its relation, in one batch
  // (a user read carries its groups and a page its total in its own statement).
  {
    name: 'GET /Users?filter= matching nobody',
    method: 'GET',
    path: () => `/Users${eq('userName', 'nobody@example.com')}`,
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Users?filter= matching a user in a group',
    method: 'GET',
    path: () => `/Users${eq('userName', 'ada@example.com')}`,
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Users/{id}',
    method: 'GET',
    path: (f) => `/Users/${f.userId}`,
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Users/{id} of no user',
    method: 'GET',
    path: () => '/Users/00000000-0000-7000-8000-000000000000',
    status: 404,
    trips: 1,
  },
  {
    name: 'GET /Users (a page of 100)',
    method: 'GET',
    path: () => '/Users?count=100',
    status: 200,
    trips: 1,
  },
  {
    // An empty page past the first row cannot tell the total: it is read again.
    name: 'GET /Users past the last page',
    method: 'GET',
    path: () => '/Users?startIndex=1000&count=10',
    status: 200,
    trips: 2,
  },
  {
    name: 'POST /Users/.search',
    method: 'POST',
    path: () => '/Users/.search',
    body: () => ({ filter: 'userName eq "ada@example.com"' }),
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Groups?filter= matching nothing, without members',
    method: 'GET',
    path: () => `/Groups${eq('displayName', 'Nobody')}&excludedAttributes=members`,
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Groups?filter= matching a group',
    method: 'GET',
    path: () => `/Groups${eq('displayName', 'Engineering')}`,
    status: 200,
    trips: 1,
  },
  {
    name: 'GET /Groups/{id}',
    method: 'GET',
    path: (f) => `/Groups/${f.groupId}`,
    status: 200,
    trips: 1,
  },
  { name: 'GET /Groups (a page)', method: 'GET', path: () => '/Groups', status: 200, trips: 1 },
  // Writes of a key this isolate has let through before (the fixture's): the tenant's object
  // judges the key, so a write reads nothing in the Worker unless its answer shows a group's
  // members (read after the write); a user's groups come back from the write's own batch.
  // (A key's first write reads the key first: test/workers/key-routing.test.ts.)
  {
    name: 'POST /Users',
    method: 'POST',
    path: () => '/Users',
    body: () => ({ userName: 'grace@example.com' }),
    status: 201,
    trips: 0,
  },
  {
    name: 'POST /Groups without members',
    method: 'POST',
    path: () => '/Groups',
    body: () => ({ displayName: 'Sales' }),
    status: 201,
    trips: 0,
  },
  {
    name: 'POST /Groups with members',
    method: 'POST',
    path: () => '/Groups',
    body: (f) => ({ displayName: 'Support', members: [{ value: f.userId }] }),
    status: 201,
    trips: 1,
  },
  {
    name: 'PATCH /Users/{id}',
    method: 'PATCH',
    path: (f) => `/Users/${f.userId}`,
    body: () => patchOp({ op: 'Replace', path: 'displayName', value: 'Ada L.' }),
    status: 200,
    trips: 0,
  },
  {
    name: 'PUT /Users/{id}',
    method: 'PUT',
    path: (f) => `/Users/${f.userId}`,
    body: () => ({ userName: 'ada@example.com', displayName: 'Ada Lovelace' }),
    status: 200,
    trips: 0,
  },
  {
    name: 'PUT /Groups/{id}',
    method: 'PUT',
    path: (f) => `/Groups/${f.groupId}`,
    body: (f) => ({ displayName: 'Engineering', members: [{ value: f.userId }] }),
    status: 200,
    trips: 1,
  },
  {
    name: 'PATCH /Groups/{id} adding 10 members',
    method: 'PATCH',
    path: (f) => `/Groups/${f.groupId}`,
    body: (f) =>
      patchOp({ op: 'Add', path: 'members', value: f.spareUserIds.map((value) => ({ value })) }),
    status: 204,
    trips: 0,
  },
]

describe('D1 round trips per SCIM request', () => {
  let fixture: Fixture

  beforeAll(async () => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const ada = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    const more = await Promise.all(
      Array.from({ length: PAGE_USERS - 1 }, (_, i) =>
        scim.post('/Users', { userName: `user${String(i)}@example.com` }).then(json)
      )
    )
    const group = await json(
      await scim.post('/Groups', { displayName: 'Engineering', members: [{ value: ada.id }] })
    )
    const spareUserIds = more.slice(0, 10).map((u) => u.id)
    fixture = { tenant, userId: ada.id, groupId: group.id, spareUserIds }
    // The key's first request also records when it was last used (once a minute at most).
    await scimTrips(tenant, 'GET', '/ServiceProviderConfig')
  }, 60_000)

  it.for(cases)('Should answer $name in $trips D1 round trip(s)', async (c, { expect }) => {
    const { res, trips } = await scimTrips(
      fixture.tenant,
      c.method,
      c.path(fixture),
      c.body?.(fixture)
    )
    expect(res.status).toBe(c.status)
    expect(trips).toBe(c.trips)
  })
})

describe('The key check that travels with a read', () => {
  it('Should answer 401 to a wrong secret of a real key, not the error of its bad filter', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const bad = await scimTrips(
      withWrongSecret(tenant),
      'GET',
      '/Users?filter=userName%20zz%20%22x%22'
    )
    expect(bad.res.status).toBe(401)
    const read = await scimTrips(withWrongSecret(tenant), 'GET', `/Users${eq('userName', 'a@b.c')}`)
    expect(read.res.status).toBe(401)
    expect(read.trips).toBe(1)
  })

  it('Should answer a user write with the groups its own batch read, changed or not', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    const group = await json(
      await scim.post('/Groups', { displayName: 'Analytics', members: [{ value: user.id }] })
    )
    const title = patchOp({ op: 'replace', path: 'title', value: 'Engineer' })
    const patched = await scimTrips(tenant, 'PATCH', `/Users/${user.id}`, title)
    expect(patched.trips).toBe(0)
    const groups = [{ value: group.id, display: 'Analytics' }]
    expect(await patched.res.json()).toMatchObject({ title: 'Engineer', groups })
    // The same PATCH again changes nothing, and still shows the groups.
    const again = await scimTrips(tenant, 'PATCH', `/Users/${user.id}`, title)
    const body = await again.res.json<{ meta: { version: string } }>()
    expect(body).toMatchObject({ title: 'Engineer', groups })
    expect(body.meta.version).toBe('W/"2"')
    // A user in no group shows none.
    const loner = await json(await scim.post('/Users', { userName: 'loner@example.com' }))
    const put = await scimTrips(tenant, 'PUT', `/Users/${loner.id}`, {
      userName: 'loner@example.com',
    })
    expect(await put.res.json()).not.toHaveProperty('groups')
  })

  it('Should refuse a write with a wrong secret and write nothing', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    const patch = patchOp({ op: 'replace', path: 'displayName', value: 'Mallory' })
    const refused = await scimTrips(withWrongSecret(tenant), 'PATCH', `/Users/${user.id}`, patch)
    expect(refused.res.status).toBe(401)
    const created = await scimTrips(withWrongSecret(tenant), 'POST', '/Users', {
      userName: 'm@x.io',
    })
    expect(created.res.status).toBe(401)
    const after = await json(await scim.get(`/Users/${user.id}`))
    expect(after.displayName).toBeUndefined()
    expect(after.meta.version).toBe(user.meta.version)
    const list = await json(await scim.get('/Users'))
    expect(list.totalResults).toBe(1)
  })

  it('Should refuse a read with a key revoked a moment before', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    expect((await scimTrips(tenant, 'GET', `/Users/${user.id}`)).res.status).toBe(200)
    expect((await admin('DELETE', `/tenants/${tenant.id}/keys/${tenant.keyId}`)).status).toBe(204)
    const after = await scimTrips(tenant, 'GET', `/Users/${user.id}`)
    expect(after.res.status).toBe(401)
    expect(await after.res.text()).not.toContain('ada@example.com')
  })
})

interface ObjectFixture {
  tenantId: string
  scim: ReturnType<typeof scimClient>
  trips: ObjectTrips
  userIds: string[]
  groupId: string
}

interface ObjectCase {
  name: string
  send: (f: ObjectFixture) => Promise<Response>
  status: number
}

const objectCases: ObjectCase[] = [
  {
    name: 'POST /Users',
    send: (f) => f.scim.post('/Users', { userName: 'new.hire@example.com' }),
    status: 201,
  },
  {
    name: 'PATCH /Users/{id}',
    send: (f) =>
      f.scim.patch(
        `/Users/${f.userIds[0] ?? ''}`,
        patchOp({ op: 'Replace', path: 'displayName', value: 'Renamed' })
      ),
    status: 200,
  },
  {
    name: 'PUT /Users/{id}',
    send: (f) =>
      f.scim.put(`/Users/${f.userIds[1] ?? ''}`, {
        userName: 'user1@example.com',
        displayName: 'Replaced',
      }),
    status: 200,
  },
  {
    name: 'POST /Groups with members',
    send: (f) =>
      f.scim.post('/Groups', {
        displayName: 'Support',
        members: f.userIds.slice(0, 3).map((value) => ({ value })),
      }),
    status: 201,
  },
  {
    name: 'PATCH /Groups/{id} adding 10 members',
    send: (f) =>
      f.scim.patch(
        `/Groups/${f.groupId}`,
        patchOp({ op: 'Add', path: 'members', value: f.userIds.map((value) => ({ value })) })
      ),
    status: 204,
  },
  {
    name: 'PATCH /Groups/{id} removing a member',
    send: (f) =>
      f.scim.patch(
        `/Groups/${f.groupId}`,
        patchOp({ op: 'Remove', path: `members[value eq "${f.userIds[2] ?? ''}"]` })
      ),
    status: 204,
  },
]

describe("D1 round trips in the tenant's object per SCIM write", () => {
  let fixture: ObjectFixture

  beforeAll(async () => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userIds = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const user = await json(
          await scim.post('/Users', { userName: `user${String(i)}@example.com` })
        )
        return user.id
      })
    )
    const group = await json(await scim.post('/Groups', { displayName: 'Engineering' }))
    fixture = {
      tenantId: tenant.id,
      scim,
      trips: await tapTenantObject(tenant.id),
      userIds,
      groupId: group.id,
    }
  }, 60_000)

  it.for(objectCases)(
    'Should commit $name in one batch, reading nothing',
    async (c, { expect }) => {
      fixture.trips.reset()
      const res = await c.send(fixture)
      expect(res.status).toBe(c.status)
      expect({ reads: fixture.trips.reads, batches: fixture.trips.batches }).toEqual({
        reads: 0,
        batches: 1,
      })
    }
  )

  it('Should read a group once after the object forgot it, then no more', async ({ expect }) => {
    const { scim, trips, userIds, groupId } = fixture
    // Any other unit of work (here an admin's new key) runs alone and drops what the object
    // remembers, since such work may change users and groups around it.
    expect(
      (await admin('POST', `/tenants/${fixture.tenantId}/keys`, { name: 'okta' })).status
    ).toBe(201)
    const remove = (id: string) =>
      scim.patch(`/Groups/${groupId}`, patchOp({ op: 'Remove', path: `members[value eq "${id}"]` }))
    trips.reset()
    expect((await remove(userIds[3] ?? '')).status).toBe(204)
    expect(trips.reads).toBeGreaterThan(0)
    expect(trips.batches).toBe(1)
    trips.reset()
    expect((await remove(userIds[4] ?? '')).status).toBe(204)
    expect({ reads: trips.reads, batches: trips.batches }).toEqual({ reads: 0, batches: 1 })
    const members = (await json(await scim.get(`/Groups/${groupId}`))).members?.map((m) => m.value)
    expect(members?.sort()).toEqual(userIds.filter((_, i) => i !== 2 && i !== 3 && i !== 4).sort())
  })
})
