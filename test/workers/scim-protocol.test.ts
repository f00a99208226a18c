/**
 * Protocol rules that every client relies on: authentication forms, error shapes and statuses,
 * limits, ETags, discovery, tenant isolation.
 */
import { env } from 'cloudflare:workers'
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

describe('Authentication', () => {
  let tenant: TestTenant
  beforeAll(async () => {
    tenant = await createTenant()
  })

  it.for<[string, Record<string, string>]>([
    ['no header', {}],
    [
      'an unknown key',
      { Authorization: 'Bearer scim_us_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    ],
    ['garbage', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ])('Should answer 401 with a SCIM error for %s', async ([, headers], { expect }) => {
    const res = await call('/scim/v2/Users', { headers })
    expect(res.status).toBe(401)
    expect(res.headers.get('Content-Type')).toContain('application/scim+json')
    expect(res.headers.get('X-Request-Id')).toBeTruthy()
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '401' })
  })

  it('Should accept the key with Bearer, lowercase bearer, or bare', async ({ expect }) => {
    for (const value of [`Bearer ${tenant.token}`, `bearer ${tenant.token}`, tenant.token]) {
      expect((await call('/scim/v2/Users', { headers: { Authorization: value } })).status).toBe(200)
    }
  })

  it('Should rate-limit a key with 429 and Retry-After', async ({ expect }) => {
    const key = await (
      await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'slow', rateLimitPerMinute: 3 })
    ).json<{ token: string }>()
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${key.token}` } })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(Number(last?.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await last?.json()).toMatchObject({ schemas: [ERROR], status: '429' })
    // Other keys of the tenant are not affected.
    expect(
      (await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${tenant.token}` } }))
        .status
    ).toBe(200)
  })
})

describe('Errors and limits', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant())
  })

  it('Should answer malformed JSON with 400 invalidSyntax and write nothing', async ({
    expect,
  }) => {
    const res = await scim.post('/Users', '{"userName": "broken"')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidSyntax',
    })
    expect((await json(await scim.get('/Users'))).totalResults).toBe(0)
  })

  it('Should answer a body over the advertised maximum with 413', async ({ expect }) => {
    const big = { userName: 'big', displayName: 'x'.repeat(3 * 1024 * 1024) }
    const res = await scim.post('/Users', big)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '413' })
  })

  it.for<[string, string]>([
    ['userName eq', 'invalidFilter'],
    ['nosuchattr eq "x"', 'invalidFilter'],
    ['active gt true', 'invalidFilter'],
    ['((((((((((((((((((((userName eq "x"))))))))))))))))))))', 'invalidFilter'],
  ])('Should reject the filter %s with 400 %s', async ([filter, scimType], { expect }) => {
    const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '400', scimType })
  })

  it('Should answer unknown ids and endpoints with 404 SCIM errors', async ({ expect }) => {
    for (const path of ['/Users/nope', '/Groups/nope', '/Widgets']) {
      const res = await scim.get(path)
      expect(res.status, path).toBe(404)
      expect(await res.json(), path).toMatchObject({ schemas: [ERROR], status: '404' })
    }
    expect(
      (await scim.patch('/Users/nope', patchOp({ op: 'replace', path: 'active', value: false })))
        .status
    ).toBe(404)
    expect((await scim.del('/Groups/nope')).status).toBe(404)
  })

  it('Should answer /Me and /Bulk, which it does not support, with 501 SCIM errors', async ({
    expect,
  }) => {
    const sent = [
      await scim.get('/Me'),
      await scim.get('/Me/'),
      await scim.patch('/Me', patchOp({ op: 'replace', path: 'active', value: false })),
      await scim.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [],
      }),
    ]
    for (const res of sent) {
      expect(res.status).toBe(501)
      expect(await res.json()).toMatchObject({
        schemas: [ERROR],
        status: '501',
        detail: expect.stringContaining('does not support') as unknown,
      })
    }
  })

  it('Should reject a user without userName and a bad PATCH without writing', async ({
    expect,
  }) => {
    const res = await scim.post('/Users', { displayName: 'No Name' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue' })
    const user = await json(
      await scim.post('/Users', { userName: 'atomic', displayName: 'Before' })
    )
    const bad = await scim.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'replace', path: 'displayName', value: 'After' },
        { op: 'explode', path: 'title', value: 'x' }
      )
    )
    expect(bad.status).toBe(400)
    expect((await json(await scim.get(`/Users/${user.id}`))).displayName).toBe('Before')
  })

  it('Should honour If-Match with 412 and If-None-Match with 304', async ({ expect }) => {
    const created = await scim.post('/Users', { userName: 'etag.user' })
    const user = await json(created)
    const etag = created.headers.get('ETag') ?? ''
    expect(etag).toBe(user.meta.version)
    const notModified = await scim.get(`/Users/${user.id}`, { 'If-None-Match': etag })
    expect(notModified.status).toBe(304)
    const ok = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'A' }),
      { 'If-Match': etag }
    )
    expect(ok.status).toBe(200)
    const stale = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'B' }),
      { 'If-Match': etag }
    )
    expect(stale.status).toBe(412)
    expect(await stale.json()).toMatchObject({ schemas: [ERROR], status: '412' })
    expect((await json(await scim.get(`/Users/${user.id}`))).title).toBe('A')
    expect((await scim.get(`/Users/${user.id}`, { 'If-None-Match': etag })).status).toBe(200)
  })
})

describe('Discovery', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant())
  })

  it('Should describe what is implemented in ServiceProviderConfig', async ({ expect }) => {
    const res = await scim.get('/ServiceProviderConfig')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        maxPageSize: 1000,
      },
    })
  })

  it('Should list resource types and schemas, and serve a schema by id', async ({ expect }) => {
    const types = await json(await scim.get('/ResourceTypes'))
    expect(types.Resources.map((r) => r.id)).toEqual(['User', 'Group'])
    const schemas = await json(await scim.get('/Schemas'))
    expect(schemas.Resources.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User',
      ])
    )
    const one = await json(
      await scim.get('/Schemas/urn:ietf:params:scim:schemas:extension:activtrak:2.0:User')
    )
    expect(JSON.stringify(one)).toContain('userPrincipalNames')
    expect((await scim.get('/Schemas/urn:nope')).status).toBe(404)
  })
})

describe('Tenant isolation', () => {
  it('Should never show or change one tenant’s resources through another tenant’s key', async ({
    expect,
  }) => {
    const a = scimClient(await createTenant('us', 'A'))
    const b = scimClient(await createTenant('us', 'B'))
    const eu = scimClient(await createTenant('eu', 'C'))
    const user = await json(await a.post('/Users', { userName: 'shared@example.com' }))
    const group = await json(await a.post('/Groups', { displayName: 'Shared' }))
    for (const other of [b, eu]) {
      expect((await other.get(`/Users/${user.id}`)).status).toBe(404)
      expect(
        (
          await json(
            await other.get(
              `/Users?filter=${encodeURIComponent('userName eq "shared@example.com"')}`
            )
          )
        ).totalResults
      ).toBe(0)
      expect(
        (
          await other.patch(
            `/Users/${user.id}`,
            patchOp({ op: 'replace', path: 'active', value: false })
          )
        ).status
      ).toBe(404)
      expect((await other.del(`/Groups/${group.id}`)).status).toBe(404)
      // The same names are free in another tenant.
      expect((await other.post('/Users', { userName: 'shared@example.com' })).status).toBe(201)
      // A user of another tenant cannot be made a member.
      const own = await json(
        await other.post('/Groups', { displayName: `Own ${String(Math.random())}` })
      )
      const cross = await other.patch(
        `/Groups/${own.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] })
      )
      expect(cross.status).toBe(400)
    }
    const euRows = await env.DB_US.prepare(
      "SELECT count(*) AS n FROM users WHERE tenant_id LIKE 'eu_%'"
    ).first<{ n: number }>()
    expect(euRows?.n).toBe(0)
    const usRows = await env.DB_EU.prepare(
      "SELECT count(*) AS n FROM users WHERE tenant_id LIKE 'us_%'"
    ).first<{ n: number }>()
    expect(usRows?.n).toBe(0)
  })
})
