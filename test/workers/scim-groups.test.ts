/**
 * Groups: unique displayName, members that are users only, every PATCH member shape, PUT
 * replacing membership, and the user's readOnly `groups`.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, it } from 'vitest'
import { FOLDED_MAX } from '../../src/storage/repos/relations'
import { createTenant, json, patchOp, scimClient, type ScimClient } from '../support/scim'

describe('Groups', () => {
  let scim: ScimClient
  let u: string[]

  beforeAll(async () => {
    scim = scimClient(await createTenant())
    u = []
    for (const name of ['ann', 'ben', 'cat', 'dan']) {
      u.push(
        (await json(await scim.post('/Users', { userName: name, displayName: name.toUpperCase() })))
          .id
      )
    }
  })

  const memberIds = async (id: string) =>
    ((await json(await scim.get(`/Groups/${id}`))).members ?? []).map((m) => m.value).sort()

  it('Should keep displayName unique per tenant, case-insensitively', async ({ expect }) => {
    expect((await scim.post('/Groups', { displayName: 'Finance' })).status).toBe(201)
    const dup = await scim.post('/Groups', { displayName: 'FINANCE' })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ status: '409', scimType: 'uniqueness' })
    const found = await json(
      await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "finance"')}`)
    )
    expect(found.totalResults).toBe(1)
  })

  it('Should create with members and show member display names', async ({ expect }) => {
    const res = await scim.post('/Groups', {
      displayName: 'With Members',
      externalId: 'ext-1',
      members: [{ value: u[0] }, { value: u[1] }],
    })
    expect(res.status).toBe(201)
    const g = await json(res)
    expect(g.members).toEqual(
      expect.arrayContaining([
        { value: u[0], display: 'ANN' },
        { value: u[1], display: 'BEN' },
      ])
    )
    const byExt = await json(
      await scim.get(`/Groups?filter=${encodeURIComponent('externalId eq "EXT-1"')}`)
    )
    expect(byExt.Resources.map((r) => r.id)).toEqual([g.id])
    const byMember = await json(
      await scim.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${u[1] ?? ''}"]`)}`)
    )
    expect(byMember.Resources.map((r) => r.id)).toEqual([g.id])
    const userGroups = await json(
      await scim.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${g.id}"`)}`)
    )
    expect(userGroups.Resources.map((r) => r.id).sort()).toEqual([u[0], u[1]].sort())
  })

  it('Should reject a group as a member, and unknown members, without writing', async ({
    expect,
  }) => {
    const parent = await json(await scim.post('/Groups', { displayName: 'Parent' }))
    const child = await json(await scim.post('/Groups', { displayName: 'Child' }))
    const nested = await scim.patch(
      `/Groups/${parent.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: u[0] }, { value: child.id }] })
    )
    expect(nested.status).toBe(400)
    const body = await json(nested)
    expect(body).toMatchObject({ status: '400', scimType: 'invalidValue' })
    expect(body.detail).toContain('nested groups are not supported')
    expect(await memberIds(parent.id)).toEqual([])
    const typed = await scim.post('/Groups', {
      displayName: 'Typed',
      members: [{ value: child.id, type: 'Group' }],
    })
    expect(typed.status).toBe(400)
    const unknown = await scim.patch(
      `/Groups/${parent.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] })
    )
    expect(unknown.status).toBe(400)
    expect((await json(unknown)).detail).toContain('no-such-user')
  })

  it('Should apply every member PATCH shape in order', async ({ expect }) => {
    const g = await json(await scim.post('/Groups', { displayName: 'Shapes' }))
    const patch = (...ops: unknown[]) => scim.patch(`/Groups/${g.id}`, patchOp(...ops))
    expect(
      (
        await patch({
          op: 'add',
          path: 'members',
          value: [{ value: u[0] }, { value: u[1] }, { value: u[2] }],
        })
      ).status
    ).toBe(204)
    expect(await memberIds(g.id)).toEqual([u[0], u[1], u[2]].sort())
    // Adding an existing member again changes nothing.
    const before = (await json(await scim.get(`/Groups/${g.id}`))).meta.version
    await patch({ op: 'add', path: 'members', value: [{ value: u[0] }] })
    expect((await json(await scim.get(`/Groups/${g.id}`))).meta.version).toBe(before)
    await patch({ op: 'remove', path: 'members', value: [{ value: u[0] }] })
    await patch({ op: 'remove', path: `members[value eq "${u[1] ?? ''}"]` })
    expect(await memberIds(g.id)).toEqual([u[2]])
    await patch({ op: 'replace', path: 'members', value: [{ value: u[3] }, { value: u[0] }] })
    expect(await memberIds(g.id)).toEqual([u[3], u[0]].sort())
    await patch({ op: 'add', value: { members: [{ value: u[1] }] } })
    expect(await memberIds(g.id)).toEqual([u[3], u[0], u[1]].sort())
    await patch({ op: 'remove', path: 'members' })
    expect(await memberIds(g.id)).toEqual([])
  })

  it('Should replace membership and attributes with PUT', async ({ expect }) => {
    const g = await json(
      await scim.post('/Groups', { displayName: 'Put Me', members: [{ value: u[0] }] })
    )
    const res = await scim.put(`/Groups/${g.id}`, {
      displayName: 'Put Me 2',
      members: [{ value: u[1] }, { value: u[2] }],
    })
    expect(res.status).toBe(200)
    expect(await memberIds(g.id)).toEqual([u[1], u[2]].sort())
    const clash = await scim.put(`/Groups/${g.id}`, { displayName: 'Finance' })
    expect(clash.status).toBe(409)
    expect((await json(await scim.get(`/Groups/${g.id}`))).displayName).toBe('Put Me 2')
  })

  it('Should drop a deleted user from its groups and bump their version', async ({ expect }) => {
    const extra = await json(await scim.post('/Users', { userName: 'leaver' }))
    const g = await json(
      await scim.post('/Groups', {
        displayName: 'Leavers',
        members: [{ value: extra.id }, { value: u[0] }],
      })
    )
    expect((await scim.del(`/Users/${extra.id}`)).status).toBe(204)
    const after = await json(await scim.get(`/Groups/${g.id}`))
    expect(after.members?.map((m) => m.value)).toEqual([u[0]])
    expect(after.meta.version).not.toBe(g.meta.version)
    expect((await scim.del(`/Users/${extra.id}`)).status).toBe(404)
  })
})

describe("A user's groups", () => {
  it('Should show every group of a user in more groups than one read carries, in id order', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'joiner@example.com' }))
    // Written straight to D1 (the SCIM way would take a thousand requests): FOLDED_MAX + 5
    // groups, named G0001…, the user a member of each.
    const n = FOLDED_MAX + 5
    const now = new Date().toISOString()
    const numbers = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${String(n)})`
    await env.DB_US.batch([
      env.DB_US.prepare(
        `${numbers} INSERT INTO groups (tenant_id, id, display_name_ci, data, version, created_at, updated_at)
         SELECT ?1, printf('g-%04d', i), printf('g%04d', i), json_object('displayName', printf('G%04d', i)), 1, ?2, ?2 FROM n`
      ).bind(tenant.id, now),
      env.DB_US.prepare(
        `${numbers} INSERT INTO group_members (tenant_id, group_id, user_id, created_at)
         SELECT ?1, printf('g-%04d', i), ?2, ?3 FROM n`
      ).bind(tenant.id, user.id, now),
    ])
    const want = Array.from({ length: n }, (_, k) => {
      const i = String(k + 1).padStart(4, '0')
      return { value: `g-${i}`, display: `G${i}` }
    })
    const one = await json(await scim.get(`/Users/${user.id}`))
    expect(one.groups).toEqual(want)
    const filter = encodeURIComponent('userName eq "joiner@example.com"')
    const found = await json(await scim.get(`/Users?filter=${filter}`))
    expect(found.totalResults).toBe(1)
    expect(found.Resources[0]?.groups).toEqual(want)
    // A user in no group shows none; one in a few, exactly those.
    const other = await json(await scim.post('/Users', { userName: 'loner@example.com' }))
    expect(await json(await scim.get(`/Users/${other.id}`))).not.toHaveProperty('groups')
  })
})
