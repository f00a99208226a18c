/**
 * Protocol edges found by probing the endpoint and by public SCIM test suites: methods an
 * endpoint does not serve, path spellings, the TrackTik base URL and the ActivTrak guide's dotted
 * extension paths.
 */
import { beforeAll, describe, it } from 'vitest'
import {
  admin,
  call,
  createTenant,
  json,
  patchOp,
  scimClient,
  type ScimClient,
  type TestTenant,
} from '../support/scim'

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

describe('Methods an endpoint does not serve', () => {
  let tenant: TestTenant
  let scim: ScimClient
  let userId: string
  beforeAll(async () => {
    tenant = await createTenant()
    scim = scimClient(tenant)
    userId = (await json(await scim.post('/Users', { userName: 'methods@example.com' }))).id
  })

  it.for<[string, string, string]>([
    ['POST', '/ServiceProviderConfig', 'GET, HEAD'],
    ['DELETE', '/ResourceTypes/User', 'GET, HEAD'],
    ['PATCH', '/Schemas', 'GET, HEAD'],
    ['PUT', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', 'GET, HEAD'],
    ['PUT', '/Users', 'GET, POST, HEAD'],
    ['DELETE', '/Groups', 'GET, POST, HEAD'],
    ['PATCH', '/Users', 'GET, POST, HEAD'],
    ['POST', '/Users/{id}', 'GET, PUT, PATCH, DELETE, HEAD'],
    ['GET', '/Users/.search', 'POST'],
    ['PUT', '/Groups/.search', 'POST'],
  ])('Should answer %s %s with 405 and Allow: %s', async ([method, path, allow], { expect }) => {
    const at = path.replace('{id}', userId)
    const res = await scim.request(method, at, method === 'GET' ? undefined : {})
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe(allow)
    expect(res.headers.get('Content-Type')).toContain('application/scim+json')
    expect(await res.json()).toEqual({
      schemas: [ERROR],
      status: '405',
      detail: `${method} is not supported at /scim/v2${at}; it accepts ${allow}`,
    })
  })

  it('Should leave the user untouched and keep 404 for paths that do not exist', async ({
    expect,
  }) => {
    expect((await scim.get(`/Users/${userId}`)).status).toBe(200)
    for (const [method, path] of [
      ['GET', '/Widgets'],
      ['PUT', '/Widgets/1'],
      ['GET', '/Users/a/b'],
    ] as const) {
      const res = await scim.request(method, path, method === 'GET' ? undefined : {})
      expect(res.status, `${method} ${path}`).toBe(404)
    }
  })

  it('Should authenticate before saying which methods exist', async ({ expect }) => {
    expect((await call('/scim/v2/Users', { method: 'PUT' })).status).toBe(401)
  })
})

describe('Path spellings and the TrackTik base URL', () => {
  let tenant: TestTenant
  let scim: ScimClient
  beforeAll(async () => {
    tenant = await createTenant()
    scim = scimClient(tenant)
  })

  it('Should serve endpoint segments in any letter case with canonical locations', async ({
    expect,
  }) => {
    const created = await scim.post('/users', { userName: 'cased@example.com' })
    expect(created.status).toBe(201)
    const user = await json(created)
    expect(created.headers.get('Location')).toBe(`https://scim.test/scim/v2/Users/${user.id}`)
    expect(user.meta.location).toBe(`https://scim.test/scim/v2/Users/${user.id}`)
    const got = await json(await scim.get(`/USERS/${user.id}`))
    expect(got.meta.location).toBe(`https://scim.test/scim/v2/Users/${user.id}`)
    const found = await json(
      await scim.post('/uSeRs/.Search', { filter: 'userName eq "cased@example.com"' })
    )
    expect(found.Resources.map((u) => u.id)).toEqual([user.id])
    const group = await json(await scim.post('/groups', { displayName: 'Cased' }))
    expect(group.meta.location).toBe(`https://scim.test/scim/v2/Groups/${group.id}`)
    expect((await scim.get('/serviceproviderconfig')).status).toBe(200)
    expect((await json(await scim.get('/schemas'))).totalResults).toBe(4)
    expect((await json(await scim.get('/resourcetypes'))).totalResults).toBe(2)
    expect((await scim.del(`/users/${user.id}`)).status).toBe(204)
  })

  it('Should serve /rest/scim/v2 with locations under the path the client used', async ({
    expect,
  }) => {
    const tracktik = scimClient(tenant, '/rest/scim/v2')
    const created = await tracktik.post('/Users', { userName: 'guard@example.com' })
    expect(created.status).toBe(201)
    const user = await json(created)
    const location = `https://scim.test/rest/scim/v2/Users/${user.id}`
    expect(created.headers.get('Location')).toBe(location)
    expect(user.meta.location).toBe(location)
    // The guide's tenant URL ends in a slash: Entra then calls `/rest/scim/v2//Users`.
    const slashed = await json(
      await tracktik.get(`//Users?filter=${encodeURIComponent('userName eq "guard@example.com"')}`)
    )
    expect(slashed.Resources.map((u) => u.meta.location)).toEqual([location])
    expect((await tracktik.get(`/Users/${user.id}/`)).status).toBe(200)
    const config = await json(await tracktik.get('/ServiceProviderConfig'))
    expect(config.meta.location).toBe('https://scim.test/rest/scim/v2/ServiceProviderConfig')
    expect((await json(await scim.get(`/Users/${user.id}`))).meta.location).toBe(
      `https://scim.test/scim/v2/Users/${user.id}`
    )
  })

  it('Should answer unknown paths under /rest/scim/v2 with SCIM errors', async ({ expect }) => {
    const res = await scimClient(tenant, '/rest/scim/v2').get('/Widgets')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '404' })
    expect((await call('/rest/scim/v2/Users')).status).toBe(401)
  })
})

describe('The ActivTrak guide’s dotted extension paths', () => {
  const AT = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
  let tenant: TestTenant
  let scim: ScimClient
  beforeAll(async () => {
    tenant = await createTenant()
    scim = scimClient(tenant)
  })

  const find = async (filter: string) =>
    (await json(await scim.get(`/Users?filter=${encodeURIComponent(filter)}`))).Resources.map(
      (u) => u.userName
    )

  it('Should provision with the guide’s paths and find the user by the dotted filter', async ({
    expect,
  }) => {
    const ada = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    // What Entra sends with the guide's attribute mapping.
    const patched = await scim.patch(
      `/Users/${ada.id}`,
      patchOp(
        {
          op: 'Add',
          path: `${AT}.userPrincipalNames[value eq null].value`,
          value: 'Ada@Corp.Example',
        },
        { op: 'Add', path: `${AT}.tracking`, value: 'True' }
      )
    )
    expect(patched.status).toBe(200)
    expect((await json(patched))[AT]).toEqual({
      userPrincipalNames: [{ value: 'Ada@Corp.Example' }],
      tracking: true,
    })
    await scim.post('/Users', { userName: 'bob@example.com', [`${AT}.tracking`]: true })
    expect(await find(`${AT}.userPrincipalNames[value eq "ada@corp.example"]`)).toEqual([
      'ada@example.com',
    ])
    expect(await find(`${AT}.userPrincipalNames.value eq "ada@corp.example"`)).toEqual([
      'ada@example.com',
    ])
    expect(await find(`${AT}.tracking eq true`)).toEqual(['ada@example.com', 'bob@example.com'])
    const sorted = await json(
      await scim.get(`/Users?sortBy=${encodeURIComponent(`${AT}.userPrincipalNames`)}`)
    )
    expect(sorted.Resources.map((u) => u.userName)).toEqual(['bob@example.com', 'ada@example.com'])
  })

  it('Should store a dotted top-level key of a POST or PUT body, never drop it', async ({
    expect,
  }) => {
    const created = await json(
      await scim.post('/Users', {
        userName: 'carol@example.com',
        [`${AT}.tracking`]: false,
        [`${AT}.userPrincipalNames`]: [{ value: 'carol@corp.example' }],
      })
    )
    expect(created[AT]).toEqual({
      userPrincipalNames: [{ value: 'carol@corp.example' }],
      tracking: false,
    })
    // tracking=false puts the user on the Do Not Track list.
    const view = await (
      await admin('GET', `/tenants/${tenant.id}/users/${created.id}`)
    ).json<{
      doNotTrack: boolean
    }>()
    expect(view.doNotTrack).toBe(true)
    const replaced = await json(
      await scim.put(`/Users/${created.id}`, {
        userName: 'carol@example.com',
        [`${AT}.userPrincipalNames`]: [{ value: 'carol@new.example' }],
      })
    )
    expect(replaced[AT]).toEqual({ userPrincipalNames: [{ value: 'carol@new.example' }] })
    expect(await find(`${AT}.userPrincipalNames[value eq "carol@new.example"]`)).toEqual([
      'carol@example.com',
    ])
  })

  it('Should project with dotted attributes and excludedAttributes', async ({ expect }) => {
    const filter = encodeURIComponent('userName eq "ada@example.com"')
    const only = await json(
      await scim.get(`/Users?filter=${filter}&attributes=${encodeURIComponent(`${AT}.tracking`)}`)
    )
    expect(only.Resources[0]).toMatchObject({ [AT]: { tracking: true } })
    expect(only.Resources[0]?.userName).toBeUndefined()
    expect(only.Resources[0]?.[AT]).toEqual({ tracking: true })
    const without = await json(
      await scim.get(
        `/Users?filter=${filter}&excludedAttributes=${encodeURIComponent(`${AT}.userPrincipalNames`)}`
      )
    )
    expect(without.Resources[0]?.[AT]).toEqual({ tracking: true })
    expect(without.Resources[0]?.userName).toBe('ada@example.com')
  })

  it('Should load group members for a dotted core attributes list', async ({ expect }) => {
    const ada = (
      await json(
        await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`)
      )
    ).Resources[0]
    const group = await json(
      await scim.post('/Groups', { displayName: 'Dotted', members: [{ value: ada?.id }] })
    )
    const core = 'urn:ietf:params:scim:schemas:core:2.0:Group'
    const got = await json(
      await scim.get(`/Groups/${group.id}?attributes=${encodeURIComponent(`${core}.members`)}`)
    )
    expect(got.members?.map((m) => m.value)).toEqual([ada?.id])
    expect(got.displayName).toBeUndefined()
  })
})
