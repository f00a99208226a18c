/**
 * Group commit in the tenant's object: writes that queue behind a batch in flight commit
 * together as the next batch, and each keeps its own answer. A write refused by the database
 * (a taken name) fails alone, writes nothing, and does not take its neighbours with it.
 */
import { beforeAll, describe, it } from 'vitest'
import { tapTenantObject, type ObjectTrips } from '../support/object-trips'
import { env } from 'cloudflare:workers'
import { effectiveRole, type MembershipFact } from '../../src/directory/effective-role'
import { userIdentifiers } from '../../src/directory/identifiers'
import { chooseLink } from '../../src/directory/linking'
import { ACTIVTRAK, ENTERPRISE, getAgent, reportAgents, userHistory } from '../support/directory'
import { admin, createTenant, json, patchOp, scimClient, type ScimClient } from '../support/scim'

const WRITES = 40

async function createUsers(scim: ScimClient, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    ids.push((await json(await scim.post('/Users', { userName: `${prefix}${String(i)}` }))).id)
  }
  return ids
}

const addMember = (scim: ScimClient, groupId: string, userId: string) =>
  scim.patch(
    `/Groups/${groupId}`,
    patchOp({ op: 'Add', path: 'members', value: [{ value: userId }] })
  )

describe('Concurrent writes to one tenant, committed in groups', () => {
  let tenantId: string
  let scim: ScimClient
  let trips: ObjectTrips

  beforeAll(async () => {
    const tenant = await createTenant()
    tenantId = tenant.id
    scim = scimClient(tenant)
    trips = await tapTenantObject(tenant.id)
  })

  it(`Should commit ${String(WRITES)} concurrent member PATCHes in fewer batches, losing none`, async ({
    expect,
  }) => {
    const users = await createUsers(scim, 'member', WRITES)
    const group = await json(await scim.post('/Groups', { displayName: 'Everyone' }))
    trips.reset()
    const requestId = (i: number) => `member-add-${String(i)}`
    const results = await Promise.all(
      users.map((id, i) =>
        scim.patch(
          `/Groups/${group.id}`,
          patchOp({ op: 'Add', path: 'members', value: [{ value: id }] }),
          { 'X-Request-Id': requestId(i) }
        )
      )
    )
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204))
    expect(trips.reads).toBe(0)
    expect(trips.batches).toBeLessThan(WRITES)
    const read = await json(await scim.get(`/Groups/${group.id}`))
    expect(read.members?.map((m) => m.value).sort()).toEqual([...users].sort())
    expect(read.meta.version).toBe(`W/"${String(WRITES + 1)}"`)
    // Each add is in its user's history, under its own request, once; a batch's writes share
    // one history insert.
    for (const [i, id] of users.entries()) {
      const adds = (await userHistory(tenantId, id)).filter((e) => e.op === 'membership.add')
      expect(adds.map((e) => [e.resourceId, e.requestId])).toEqual([[group.id, requestId(i)]])
    }
    const historyInserts = trips.sent.filter((q) => /^INSERT INTO history\b/.test(q))
    expect(historyInserts).toHaveLength(trips.batches)
  })

  it('Should fail only the user whose userName is taken among concurrent creates', async ({
    expect,
  }) => {
    expect((await scim.post('/Users', { userName: 'taken@example.com' })).status).toBe(201)
    const names = Array.from({ length: 20 }, (_, i) => `hire${String(i)}@example.com`)
    names.splice(10, 0, 'TAKEN@example.com')
    const results = await Promise.all(names.map((userName) => scim.post('/Users', { userName })))
    const statuses = results.map((r) => r.status)
    expect(statuses).toEqual(names.map((n) => (n.startsWith('TAKEN') ? 409 : 201)))
    const conflict = results[10]
    expect(conflict && (await json(conflict)).detail).toContain('TAKEN@example.com')
    for (const [i, res] of results.entries()) {
      if (i === 10) continue
      const created = await json(res)
      const read = await json(await scim.get(`/Users/${created.id}`))
      expect(read.userName).toBe(names[i])
    }
    const taken = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "taken@example.com"')}`)
    )
    expect(taken.totalResults).toBe(1)
  })

  it('Should leave no part of a refused PATCH while the PATCHes around it commit', async ({
    expect,
  }) => {
    const users = await createUsers(scim, 'neighbour', 21)
    await scim.post('/Groups', { displayName: 'Finance' })
    const group = await json(await scim.post('/Groups', { displayName: 'Sales' }))
    const bad = users[10] ?? ''
    const results = await Promise.all(
      users.map((id) =>
        id === bad
          ? scim.patch(
              `/Groups/${group.id}`,
              patchOp(
                { op: 'Replace', path: 'displayName', value: 'FINANCE' },
                { op: 'Add', path: 'members', value: [{ value: id }] }
              )
            )
          : addMember(scim, group.id, id)
      )
    )
    expect(results.map((r) => r.status)).toEqual(users.map((id) => (id === bad ? 409 : 204)))
    const read = await json(await scim.get(`/Groups/${group.id}`))
    expect(read.displayName).toBe('Sales')
    expect(read.members?.map((m) => m.value).sort()).toEqual(
      users.filter((id) => id !== bad).sort()
    )
    expect(read.meta.version).toBe(`W/"${String(users.length)}"`)
  })

  it('Should prepare again the writes prepared over a refused one, keeping none of its changes', async ({
    expect,
  }) => {
    await scim.post('/Users', { userName: 'occupied@example.com' })
    const user = await json(await scim.post('/Users', { userName: 'busy@example.com' }))
    // 30 concurrent PATCHes of one user; the 11th also takes a name in use (refused) and sets a
    // title. Writes prepared after it saw its change in what the object remembers: had any of
    // them committed so, the title would be there.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        scim.patch(
          `/Users/${user.id}`,
          i === 10
            ? patchOp(
                { op: 'Replace', path: 'title', value: 'refused' },
                { op: 'Replace', path: 'userName', value: 'occupied@example.com' }
              )
            : patchOp({ op: 'Replace', path: 'displayName', value: `v${String(i)}` })
        )
      )
    )
    expect(results.map((r) => r.status)).toEqual(results.map((_, i) => (i === 10 ? 409 : 200)))
    const read = await json(await scim.get(`/Users/${user.id}`))
    expect(read).not.toHaveProperty('title')
    expect(read.userName).toBe('busy@example.com')
    // The last of them to arrive at the object (requests may overtake each other on the way).
    expect(read.displayName).toMatch(/^v\d+$/)
    expect(read.meta.version).toBe('W/"30"')
  })

  it('Should load what queued writes miss in one read per group, not one per write', async ({
    expect,
  }) => {
    const users = await createUsers(scim, 'warm', WRITES)
    const groups = await Promise.all(
      Array.from(
        { length: 4 },
        async (_, i) =>
          (await json(await scim.post('/Groups', { displayName: `Team ${String(i)}` }))).id
      )
    )
    // Another unit of work (an admin's new key) makes the object forget what it knew.
    expect((await admin('POST', `/tenants/${tenantId}/keys`, { name: 'okta' })).status).toBe(201)
    trips.reset()
    const target = (i: number) => groups[i % groups.length] ?? ''
    const results = await Promise.all(users.map((id, i) => addMember(scim, target(i), id)))
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204))
    expect(trips.reads + trips.batches).toBeLessThan(WRITES)
    for (const [g, groupId] of groups.entries()) {
      const read = await json(await scim.get(`/Groups/${groupId}`))
      const expected = users.filter((_, i) => i % groups.length === g)
      expect(read.members?.map((m) => m.value).sort()).toEqual(expected.sort())
    }
  })

  it('Should check members against every user id it loaded once, reading nothing more', async ({
    expect,
  }) => {
    const users = await createUsers(scim, 'known', 6)
    const group = await json(await scim.post('/Groups', { displayName: 'Checked' }))
    const other = await json(await scim.post('/Groups', { displayName: 'Not a user' }))
    // Another unit of work makes the object forget; the first member check loads every user id.
    expect((await admin('POST', `/tenants/${tenantId}/keys`, { name: 'again' })).status).toBe(201)
    expect((await addMember(scim, group.id, users[0] ?? '')).status).toBe(204)
    trips.reset()
    for (const id of users.slice(1)) expect((await addMember(scim, group.id, id)).status).toBe(204)
    expect(trips.reads).toBe(0)
    const missing = await addMember(scim, group.id, '01890000-0000-7000-8000-000000000000')
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ scimType: 'invalidValue' })
    const nested = await addMember(scim, group.id, other.id)
    expect(nested.status).toBe(400)
    expect((await nested.json<{ detail: string }>()).detail).toContain('nested groups')
    const read = await json(await scim.get(`/Groups/${group.id}`))
    expect(read.members?.map((m) => m.value).sort()).toEqual([...users].sort())
  })
})

describe('A batch waiting a moment for company while writes arrive together', () => {
  /** The tests' GROUP_COMMIT_LINGER_MS (vitest.config.ts). */
  const LINGER_MS = 50
  let scim: ScimClient
  let trips: ObjectTrips
  let users: string[]
  let group: string

  beforeAll(async () => {
    const tenant = await createTenant()
    scim = scimClient(tenant)
    trips = await tapTenantObject(tenant.id)
    users = await createUsers(scim, 'company', 40)
    group = (await json(await scim.post('/Groups', { displayName: 'Company' }))).id
  })

  /** Writes arriving together (most commit behind a batch in flight); their statuses. */
  const burst = async (ids: readonly string[]) =>
    (await Promise.all(ids.map((id) => addMember(scim, group, id)))).map((r) => r.status)

  it('Should commit two writes sent together after a burst in one batch', async ({ expect }) => {
    expect(await burst(users.slice(0, 10))).toEqual(Array(10).fill(204))
    trips.reset()
    const pair = await Promise.all(users.slice(10, 12).map((id) => addMember(scim, group, id)))
    expect(pair.map((r) => r.status)).toEqual([204, 204])
    // Without the wait the first would go alone and the second follow in a batch of its own.
    expect(trips.batches).toBe(1)
    const read = await json(await scim.get(`/Groups/${group}`))
    expect(read.members).toHaveLength(12)
  })

  it('Should not make a lone client wait, after the one wait that ends a burst', async ({
    expect,
  }) => {
    expect(await burst(users.slice(12, 22))).toEqual(Array(10).fill(204))
    // The first lone write after the burst waits once for company that does not come.
    expect((await addMember(scim, group, users[22] ?? '')).status).toBe(204)
    trips.reset()
    const started = Date.now()
    for (const id of users.slice(23, 28))
      expect((await addMember(scim, group, id)).status).toBe(204)
    // Five writes one after the other: each its own batch, none waiting for company (which
    // would take at least 5 x LINGER_MS).
    expect(trips.batches).toBe(5)
    expect(Date.now() - started).toBeLessThan(5 * LINGER_MS)
  })

  it('Should commit a waiting write before a delete that arrives during its wait', async ({
    expect,
  }) => {
    expect(await burst(users.slice(28, 38))).toEqual(Array(10).fill(204))
    const leaver = users[38] ?? ''
    const added = addMember(scim, group, leaver)
    // Half the wait later the add waits for company; a delete (which runs alone) ends the wait.
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS / 2))
    const deleted = await scim.del(`/Users/${leaver}`)
    expect((await added).status).toBe(204)
    expect(deleted.status).toBe(204)
    const read = await json(await scim.get(`/Groups/${group}`))
    expect(read.members?.map((m) => m.value)).not.toContain(leaver)
    expect(read.members).toHaveLength(38)
  })
})

describe('Concurrent user creates that do not want tracking', () => {
  it(`Should put each of ${String(WRITES)} on the Do Not Track list, reading nothing`, async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    // Two writes first: the Worker reads the key of its first one, the object of its second.
    for (const userName of ['first@contoso.com', 'second@contoso.com'])
      expect((await scim.post('/Users', { userName })).status).toBe(201)
    const trips = await tapTenantObject(tenant.id)
    const results = await Promise.all(
      Array.from({ length: WRITES }, (_, i) =>
        scim.post('/Users', {
          userName: `quiet${String(i)}@contoso.com`,
          [ACTIVTRAK]: { tracking: false },
        })
      )
    )
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201))
    // Each used to look up the entry of its own new id first, alone, after the writes before it.
    expect(trips.reads).toBe(0)
    expect(trips.batches).toBeLessThan(WRITES)
    for (const res of results) {
      const history = await userHistory(tenant.id, (await json(res)).id)
      expect(history.filter((h) => h.op === 'dnt.add')).toHaveLength(1)
    }
  })
})

describe('Concurrent user creates in a tenant with agents', () => {
  it(`Should link each of ${String(WRITES)} concurrent creates to its agent, reading once per group`, async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const names = Array.from({ length: WRITES }, (_, i) => `hire${String(i)}@contoso.com`)
    await reportAgents(
      tenant.id,
      names.map((upn, i) => ({ id: `dev-${String(i)}`, upn: upn.toUpperCase() }))
    )
    const trips = await tapTenantObject(tenant.id)
    const results = await Promise.all(names.map((userName) => scim.post('/Users', { userName })))
    expect(results.map((r) => r.status)).toEqual(names.map(() => 201))
    const ids = await Promise.all(results.map(async (r) => (await json(r)).id))
    // Each create used to read the agents and users its identifiers name, one at a time.
    expect(trips.reads).toBeLessThan(WRITES / 2)
    expect(trips.batches).toBeLessThan(WRITES)
    for (const [i, id] of ids.entries()) {
      expect(await getAgent(tenant.id, `dev-${String(i)}`)).toMatchObject({
        userId: id,
        linkRule: 'upn',
      })
    }
    const history = await userHistory(tenant.id, ids[7] ?? '')
    expect(history.map((h) => h.op)).toEqual(expect.arrayContaining(['user.create', 'agent.link']))
  })

  it('Should link an agent its concurrent creates contend for as one after the other would', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    // An agent named by a UPN, an email two users share, and an employee id, another by that
    // email alone; creates of all of them arrive together with creates of agents of their own.
    await reportAgents(tenant.id, [
      { id: 'shared', upn: 'lead@contoso.com', email: 'team@contoso.com', employeeId: 'E-1' },
      { id: 'team', email: 'team@contoso.com' },
      ...Array.from({ length: 10 }, (_, i) => ({
        id: `own-${String(i)}`,
        upn: `own${String(i)}@contoso.com`,
      })),
    ])
    const work = (userName: string) => ({
      userName,
      emails: [{ value: 'TEAM@contoso.com', type: 'work' }],
    })
    // The UPN user first: a create prepared after it that did not see it would take the agent.
    const bodies = [
      { userName: 'Lead@contoso.com' },
      { userName: 'emp', [ENTERPRISE]: { employeeNumber: 'e-1' } },
      work('mail-b'),
      work('mail-a'),
      ...Array.from({ length: 10 }, (_, i) => ({ userName: `own${String(i)}@contoso.com` })),
    ]
    // One create first, so the others queue behind its batch and share one warm-up.
    const first = scim.post('/Users', { userName: 'first@contoso.com' })
    const created = await Promise.all(
      bodies.map(async (body) => {
        const res = await scim.post('/Users', body)
        expect(res.status).toBe(201)
        return (await json(res)).id
      })
    )
    expect((await first).status).toBe(201)
    // UPN wins over email over employee number, whatever order the creates were prepared in.
    expect(await getAgent(tenant.id, 'shared')).toMatchObject({
      userId: created[0],
      linkRule: 'upn',
    })
    for (let i = 0; i < 10; i++) {
      expect((await getAgent(tenant.id, `own-${String(i)}`)).userId).toBe(created[4 + i])
    }
    // Of the two users with the shared email, the older (the lower id) holds the other agent.
    const older = [created[2] ?? '', created[3] ?? ''].sort()[0]
    expect(await getAgent(tenant.id, 'team')).toMatchObject({ userId: older, linkRule: 'email' })
  })
})

const fold = (v: string | null): string | null => v?.toLowerCase() ?? null

/** A small deterministic generator (mulberry32), so a failing mix can be run again. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

describe('Concurrent user creates contending for agents', () => {
  it.for([11, 23, 37, 41, 53])(
    'Should leave every agent linked as the linking rules pick among all users (mix %i)',
    async (seed, { expect }) => {
      const next = random(seed)
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
      const maybe = <T>(value: T): T | null => (next() < 0.5 ? value : null)
      // A few identifiers of each kind, shared by many agents and users.
      const upns = Array.from({ length: 6 }, (_, i) => `p${String(i)}@contoso.com`)
      const emails = Array.from({ length: 6 }, (_, i) => `m${String(i)}@contoso.com`)
      const employees = Array.from({ length: 4 }, (_, i) => `E${String(i)}`)
      const tenant = await createTenant()
      const scim = scimClient(tenant)
      const agents = Array.from({ length: 30 }, (_, i) => ({
        id: `dev-${String(i)}`,
        upn: maybe(pick(upns).toUpperCase()),
        email: maybe(pick(emails)),
        employeeId: maybe(pick(employees).toLowerCase()),
      }))
      await reportAgents(tenant.id, agents)
      const bodies = Array.from({ length: 40 }, (_, i) => ({
        userName: `user${String(i)}@example.com`,
        ...(next() < 0.6 ? { [ACTIVTRAK]: { userPrincipalNames: [{ value: pick(upns) }] } } : {}),
        ...(next() < 0.6 ? { emails: [{ value: pick(emails), type: 'work' }] } : {}),
        ...(next() < 0.4 ? { [ENTERPRISE]: { employeeNumber: pick(employees) } } : {}),
      }))
      const create = async (body: (typeof bodies)[number]) => {
        const res = await scim.post('/Users', body)
        expect(res.status).toBe(201)
        return { userId: (await json(res)).id, ids: userIdentifiers(body) }
      }
      // Some users exist first (the snapshot reads them as candidates), the rest arrive together.
      const users = []
      for (const body of bodies.slice(0, 10)) users.push(await create(body))
      users.push(...(await Promise.all(bodies.slice(10).map(create))))
      for (const a of agents) {
        const want = chooseLink(
          { upn: fold(a.upn), email: fold(a.email), employeeId: fold(a.employeeId) },
          users
        )
        expect(await getAgent(tenant.id, a.id), a.id).toMatchObject({
          userId: want?.userId ?? null,
          linkRule: want?.rule ?? null,
        })
      }
    }
  )
})

describe('Concurrent member changes in a tenant whose groups are its roles', () => {
  it(`Should give each of ${String(WRITES)} users added together their group's role, reading once per group`, async ({
    expect,
  }) => {
    const tenant = await createTenant('us', 'TrackTik Co', { roleMode: 'groups-as-roles' })
    const scim = scimClient(tenant)
    const users = await createUsers(scim, 'role', WRITES)
    const groups: string[] = []
    for (let i = 0; i < WRITES; i++)
      groups.push((await json(await scim.post('/Groups', { displayName: `Team ${String(i)}` }))).id)
    const trips = await tapTenantObject(tenant.id)
    const results = await Promise.all(users.map((id, i) => addMember(scim, groups[i] ?? '', id)))
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204))
    // Each used to read its members' memberships and roles first, one write at a time.
    expect(trips.reads).toBeLessThan(WRITES / 2)
    expect(trips.batches).toBeLessThan(WRITES)
    const stored = await roleGroups(tenant.id)
    for (const [i, id] of users.entries()) expect(stored.get(id)).toBe(groups[i])
  })

  it.for([5, 17, 29, 43, 61])(
    'Should leave every user the role of the group it joined last, after a mix of changes (mix %i)',
    async (seed, { expect }) => {
      const next = random(seed)
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
      const tenant = await createTenant('us', 'TrackTik Co', { roleMode: 'groups-as-roles' })
      const scim = scimClient(tenant)
      const users = await createUsers(scim, 'mix', 10)
      const groups: string[] = []
      for (let i = 0; i < 6; i++)
        groups.push((await json(await scim.post('/Groups', { displayName: `G${String(i)}` }))).id)
      for (const id of users) expect((await addMember(scim, pick(groups), id)).status).toBe(204)
      // Adds and removes of the same few users across the same few groups, all at once.
      const results = await Promise.all(
        Array.from({ length: 40 }, () => {
          const [group, user] = [pick(groups), pick(users)]
          return next() < 0.6
            ? addMember(scim, group, user)
            : scim.patch(
                `/Groups/${group}`,
                patchOp({ op: 'Remove', path: `members[value eq "${user}"]` })
              )
        })
      )
      expect(results.map((r) => r.status)).toEqual(results.map(() => 204))
      const stored = await roleGroups(tenant.id)
      const facts = await membershipRows(tenant.id)
      for (const id of users) {
        const want = effectiveRole(facts.get(id) ?? [], 'groups-as-roles', null)
        expect(stored.get(id) ?? null, id).toBe(want.viaGroupId)
      }
    }
  )
})

/** Each user's stored role group, read from D1. */
async function roleGroups(tenantId: string): Promise<Map<string, string | null>> {
  const rows = await env.DB_US.prepare('SELECT id, role_group_id FROM users WHERE tenant_id = ?')
    .bind(tenantId)
    .all<{ id: string; role_group_id: string | null }>()
  return new Map(rows.results.map((r) => [r.id, r.role_group_id]))
}

/** Each user's memberships as D1 holds them, as the role rules take them. */
async function membershipRows(tenantId: string): Promise<Map<string, MembershipFact[]>> {
  const rows = await env.DB_US.prepare(
    'SELECT user_id, group_id, created_at FROM group_members WHERE tenant_id = ?'
  )
    .bind(tenantId)
    .all<{ user_id: string; group_id: string; created_at: string }>()
  const out = new Map<string, MembershipFact[]>()
  for (const r of rows.results) {
    const fact = { groupId: r.group_id, joinedAt: r.created_at, roleId: null }
    out.set(r.user_id, [...(out.get(r.user_id) ?? []), fact])
  }
  return out
}
