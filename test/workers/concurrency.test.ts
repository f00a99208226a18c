/**
 * The tenant's Durable Object serializes writes (and commits those queued behind a batch in
 * flight together): concurrent requests lose no update and can never create two users with one
 * userName.
 */
import { describe, it } from 'vitest'
import { createTenant, json, patchOp, scimClient } from '../support/scim'

/** As many requests at once as an IdP's initial push to one tenant may send. */
const RACERS = 200

describe('Concurrent writes to one tenant', () => {
  it(`Should keep every member of ${String(RACERS)} concurrent member-add PATCHes`, async ({
    expect,
  }) => {
    // A tenant per test: each makes about 400 requests, within the test key's rate limit.
    const scim = scimClient(await createTenant())
    const users = await Promise.all(
      Array.from(
        { length: RACERS },
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
    expect(read.meta.version).toBe(`W/"${String(RACERS + 1)}"`)
  })

  it(`Should create exactly one user from ${String(RACERS)} concurrent POSTs of one userName`, async ({
    expect,
  }) => {
    const scim = scimClient(await createTenant())
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        scim.post('/Users', { userName: i % 2 ? 'Same.Person' : 'same.person' })
      )
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1)
    const found = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "SAME.PERSON"')}`)
    )
    expect(found.totalResults).toBe(1)
  })
})
