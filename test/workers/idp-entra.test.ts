/**
 * A whole Entra ID provisioning cycle, in the request shapes Entra sends (default, no
 * aadOptscim062020 flag): test connection, match-then-create users and groups, attribute
 * updates, membership add/remove, soft delete (active "False"), restore and hard delete.
 */
import { beforeAll, describe, it } from 'vitest'
import { createTenant, json, patchOp, scimClient, type ScimClient } from '../support/scim'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const entraUser = (n: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: `mailnick${String(n)}`,
  userName: `User${String(n)}@Contoso.com`,
  active: true,
  emails: [{ primary: true, type: 'work', value: `user${String(n)}@contoso.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Given Family', familyName: 'Family', givenName: 'Given' },
  roles: [],
  [ENTERPRISE]: { employeeNumber: `70${String(n)}`, department: 'Sales' },
})

describe('Entra ID provisioning cycle', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant('us', 'Contoso'), '/scim/v2')
  })

  it('Should answer Test Connection with an empty ListResponse, never 404', async ({ expect }) => {
    const res = await scim.get('/Users?filter=userName eq "8c4d8e8f-2a53-4bd1-9a51-4e1d7f0d2a11"')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('application/scim+json')
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    })
  })

  it('Should match, create, update, suspend, restore and delete a user as Entra does', async ({
    expect,
  }) => {
    const miss = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "User1@contoso.com"')}`)
    )
    expect(miss.totalResults).toBe(0)

    const created = await scim.post('/Users', entraUser(1))
    expect(created.status).toBe(201)
    const user = await json(created)
    expect(created.headers.get('Location')).toBe(`https://scim.test/scim/v2/Users/${user.id}`)
    expect(user.meta.location).toBe(created.headers.get('Location'))
    expect(user).toMatchObject({
      userName: 'User1@Contoso.com',
      active: true,
      [ENTERPRISE]: { employeeNumber: '701' },
    })
    expect(user).not.toHaveProperty('roles')

    // Every later match finds it, whatever the case or the matching attribute.
    for (const filter of [
      'userName eq "user1@contoso.com"',
      'externalId eq "MAILNICK1"',
      'emails[type eq "work"].value eq "USER1@contoso.com"',
      `${ENTERPRISE}:employeeNumber eq "701"`,
    ]) {
      const found = await json(await scim.get(`/Users?filter=${encodeURIComponent(filter)}`))
      expect(found.totalResults, filter).toBe(1)
      expect(found.Resources[0]?.id, filter).toBe(user.id)
    }

    // A retried POST (response lost) is a 409, and the lookup Entra does next finds the user.
    const dup = await scim.post('/Users', { ...entraUser(1), userName: 'USER1@contoso.com' })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ status: '409', scimType: 'uniqueness' })

    const updated = await scim.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'Replace', path: 'name.givenName', value: 'Renamed' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'renamed@contoso.com' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Support' },
        { op: 'Add', path: 'manager', value: [{ $ref: null, value: 'someone' }] }
      )
    )
    expect(updated.status).toBe(200)
    expect(await updated.json()).toMatchObject({
      name: { givenName: 'Renamed', familyName: 'Family' },
      nickName: 'Babs',
      emails: [{ type: 'work', value: 'renamed@contoso.com', primary: true }],
      [ENTERPRISE]: { department: 'Support', manager: { value: 'someone' } },
    })
    const byNewMail = await json(
      await scim.get(
        `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "renamed@contoso.com"')}`
      )
    )
    expect(byNewMail.totalResults).toBe(1)

    // Soft delete arrives as the string "False"; the user stays readable and findable.
    const disabled = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' })
    )
    expect(disabled.status).toBe(200)
    expect((await json(disabled)).active).toBe(false)
    expect((await json(await scim.get(`/Users/${user.id}`))).active).toBe(false)
    const suspended = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "user1@contoso.com"')}`)
    )
    expect(suspended.Resources[0]).toMatchObject({ id: user.id, active: false })

    const restored = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'True' })
    )
    expect((await json(restored)).active).toBe(true)

    expect((await scim.del(`/Users/${user.id}`)).status).toBe(204)
    const gone = await scim.get(`/Users/${user.id}`)
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
    })
  })

  it('Should provision a group and its members as Entra does', async ({ expect }) => {
    const ids: string[] = []
    for (const n of [10, 11, 12]) ids.push((await json(await scim.post('/Users', entraUser(n)))).id)

    const lookup = `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales Team"')}`
    expect((await json(await scim.get(lookup))).totalResults).toBe(0)
    const created = await scim.post('/Groups', {
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ],
      externalId: '4d3c2b1a-0000-4000-8000-000000000001',
      displayName: 'Sales Team',
      meta: { resourceType: 'Group' },
    })
    expect(created.status).toBe(201)
    const group = await json(created)
    expect(group.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Group'])

    const add = await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: ids.map((value) => ({ $ref: null, value })) })
    )
    expect(add.status).toBe(204)
    const remove = await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ value: ids[0] }] })
    )
    expect(remove.status).toBe(204)
    const removeFlag = await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${ids[1] ?? ''}"]` })
    )
    expect(removeFlag.status).toBe(204)

    const read = await json(await scim.get(`/Groups/${group.id}`))
    expect(read.members?.map((m) => m.value)).toEqual([ids[2]])
    const slim = await json(await scim.get(`/Groups/${group.id}?excludedAttributes=members`))
    expect(slim).not.toHaveProperty('members')
    expect((await json(await scim.get(lookup))).Resources[0]).not.toHaveProperty('members')

    const renamed = await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Sales EMEA' })
    )
    expect(renamed.status).toBe(204)
    const member = await json(await scim.get(`/Users/${ids[2] ?? ''}`))
    expect(member.groups).toEqual([{ value: group.id, display: 'Sales EMEA' }])

    expect((await scim.del(`/Groups/${group.id}`)).status).toBe(204)
    expect((await scim.get(`/Groups/${group.id}`)).status).toBe(404)
    expect((await json(await scim.get(`/Users/${ids[2] ?? ''}`))).groups ?? []).toEqual([])
  })

  it('Should accept aadOptscim062020 shapes and the flag in the URL', async ({ expect }) => {
    const user = await json(await scim.post('/Users?aadOptscim062020', entraUser(20)))
    const res = await scim.patch(
      `/Users/${user.id}?aadOptscim062020`,
      patchOp({
        op: 'replace',
        value: {
          displayName: 'Flag User',
          'name.givenName': 'Flag',
          [`${ENTERPRISE}:employeeNumber`]: '9001',
        },
      })
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      displayName: 'Flag User',
      name: { givenName: 'Flag' },
      [ENTERPRISE]: { employeeNumber: '9001' },
    })
    const off = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'active', value: false })
    )
    expect((await json(off)).active).toBe(false)
  })
})
