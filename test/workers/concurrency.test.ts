/**
 * The tenant's Durable Object serializes writes: concurrent requests lose no update and can
 * never create two users with one userName.
 */
import { beforeAll, describe, it } from 'vitest'
import { createTenant, json, patchOp, scimClient, type ScimClient } from '../support/scim'

describe('Concurrent writes to one tenant', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant())
  })

  it('Should keep every member of 100 concurrent member-add PATCHes', async ({ expect }) => {
    const users = await Promise.all(
      Array.from(
        { length: 100 },
        async (_, i) =>
          (await json(await scim.post('/Users', { userName: `racer${String(i)}` }))).id
      )
    )
    const group = await json(await scim.post('/Groups', { displayName: 'Racers' }))
    const results = await Promise.all(
      users.map((id) =>
        scim.patch(
          `/Groups/${group.id}`,
          patchOp({ op: 'Add', path: 'members', value: [{ value: id }] })
        )
      )
    )
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204))
    const read = await json(await scim.get(`/Groups/${group.id}`))
    expect(read.members?.map((m) => m.value).sort()).toEqual([...users].sort())
    // One version step per effective write: versions are monotonic and none was lost.
    expect(read.meta.version).toBe('W/"101"')
  })

  it('Should create exactly one user from 20 concurrent POSTs of one userName', async ({
    expect,
  }) => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        scim.post('/Users', { userName: i % 2 ? 'Same.Person' : 'same.person' })
      )
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(19)
    const found = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "SAME.PERSON"')}`)
    )
    expect(found.totalResults).toBe(1)
  })
})
