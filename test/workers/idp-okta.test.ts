/**
 * A whole Okta provisioning lifecycle as Okta sends it: the raw-token "HTTP Header" mode, the
 * startIndex/count connection test, lookup then create (with password and groups: []), PUT full
 * replace (App Integration Wizard apps), PATCH deactivate without a path (OIN apps), Group Push
 * with mixed member operations and the rename re-sent with every membership update, and import.
 */
import { beforeAll, describe, it } from 'vitest'
import {
  createTenant,
  json,
  patchOp,
  scimClient,
  type ScimClient,
  type TestTenant,
} from '../support/scim'

const oktaUser = (login: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: login,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: login, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00u1abcd2EFGH3ijk4x7',
  groups: [],
  password: 'xK9!rand0m-Pa55',
  active: true,
})

describe('Okta provisioning lifecycle', () => {
  let tenant: TestTenant
  let scim: ScimClient
  /** Okta's HTTP Header mode may send the token exactly as pasted, without "Bearer". */
  let raw: (method: string, path: string, body?: unknown) => Promise<Response>

  beforeAll(async () => {
    tenant = await createTenant('eu', 'Okta Org')
    scim = scimClient(tenant, '/scim/v1')
    raw = (method, path, body) =>
      scim.request(method, path, body, {
        Authorization: tenant.token,
        'User-Agent': 'Okta SCIM Client 1.0.0',
      })
  })

  it('Should pass the connection test with integers and an empty Resources array', async ({
    expect,
  }) => {
    const res = await raw('GET', '/Users?startIndex=1&count=2')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    })
  })

  it('Should create, update by PUT, deactivate by path-less PATCH and reactivate a user', async ({
    expect,
  }) => {
    const lookup = `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`
    expect((await json(await raw('GET', lookup))).totalResults).toBe(0)

    const created = await raw('POST', '/Users', oktaUser('test.user@okta.local'))
    expect(created.status).toBe(201)
    const user = await json(created)
    expect(user).not.toHaveProperty('password')
    expect(user.meta.location).toBe(`https://scim.test/scim/v1/Users/${user.id}`)

    // Okta's own test suite re-queries with a different case.
    const upper = await json(
      await raw('GET', `/Users?filter=${encodeURIComponent('userName eq "TEST.USER@OKTA.LOCAL"')}`)
    )
    expect(upper.Resources.map((r) => r.id)).toEqual([user.id])

    const read = await json(await raw('GET', `/Users/${user.id}`))
    const put = await raw('PUT', `/Users/${user.id}`, {
      ...read,
      name: { givenName: 'Tess', familyName: 'User' },
      title: 'Engineer',
    })
    expect(put.status).toBe(200)
    const replaced = await json(put)
    expect(replaced).toMatchObject({
      name: { givenName: 'Tess', familyName: 'User' },
      title: 'Engineer',
    })
    expect(replaced.meta.version).not.toBe(read.meta.version)

    // A full replace drops what the new representation leaves out.
    const { title: _title, ...withoutTitle } = replaced
    const put2 = await json(await raw('PUT', `/Users/${user.id}`, withoutTitle))
    expect(put2).not.toHaveProperty('title')

    const off = await raw(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'replace', value: { active: false } })
    )
    expect(off.status).toBe(200)
    expect((await json(off)).active).toBe(false)
    // AIW apps deactivate with PUT instead.
    const on = await raw('PUT', `/Users/${user.id}`, { ...withoutTitle, active: true })
    expect((await json(on)).active).toBe(true)
    const offAgain = await raw('PUT', `/Users/${user.id}`, { ...withoutTitle, active: false })
    expect((await json(offAgain)).active).toBe(false)
    expect((await json(await raw('GET', lookup))).Resources[0]).toMatchObject({
      id: user.id,
      active: false,
    })
  })

  it('Should push a group with mixed member operations and repeated renames', async ({
    expect,
  }) => {
    const a = await json(await raw('POST', '/Users', oktaUser('a@okta.local')))
    const b = await json(await raw('POST', '/Users', oktaUser('b@okta.local')))

    expect(
      (
        await json(
          await raw('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)
        )
      ).totalResults
    ).toBe(0)
    const created = await raw('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [],
    })
    expect(created.status).toBe(201)
    const group = await json(created)

    const first = await raw(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp(
        { op: 'replace', value: { id: group.id, displayName: 'Engineering' } },
        { op: 'add', path: 'members', value: [{ value: a.id, display: 'a@okta.local' }] }
      )
    )
    expect(first.status).toBe(204)
    const versionAfterAdd = first.headers.get('ETag')

    const second = await raw(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp(
        { op: 'replace', value: { id: group.id, displayName: 'Engineering' } },
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: b.id, display: 'b@okta.local' }] }
      )
    )
    expect(second.status).toBe(204)
    expect(second.headers.get('ETag')).not.toBe(versionAfterAdd)
    expect(
      (await json(await raw('GET', `/Groups/${group.id}`))).members?.map((m) => m.value)
    ).toEqual([b.id])

    // The rename alone, re-sent unchanged, changes nothing.
    const same = await raw(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', value: { id: group.id, displayName: 'Engineering' } })
    )
    expect(same.headers.get('ETag')).toBe(second.headers.get('ETag'))

    const put = await raw('PUT', `/Groups/${group.id}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: group.id,
      displayName: 'Engineering Team',
      members: [{ value: a.id }, { value: b.id }],
    })
    expect(put.status).toBe(200)
    const putBody = await json(put)
    expect(putBody.displayName).toBe('Engineering Team')
    expect(putBody.members?.map((m) => m.value).sort()).toEqual([a.id, b.id].sort())

    expect((await raw('DELETE', `/Groups/${group.id}`)).status).toBe(204)
  })

  it('Should import users page by page with stable order and exact totals', async ({ expect }) => {
    for (let i = 0; i < 5; i++)
      await raw('POST', '/Users', oktaUser(`import${String(i)}@okta.local`))
    const all = await json(await raw('GET', '/Users?startIndex=1&count=100'))
    const seen: string[] = []
    for (let start = 1; start <= all.totalResults; start += 2) {
      const page = await json(await raw('GET', `/Users?startIndex=${String(start)}&count=2`))
      expect(page.totalResults).toBe(all.totalResults)
      expect(page.startIndex).toBe(start)
      seen.push(...page.Resources.map((r) => r.id))
    }
    expect(seen).toEqual(all.Resources.map((r) => r.id))
    expect(new Set(seen).size).toBe(all.totalResults)
  })
})
