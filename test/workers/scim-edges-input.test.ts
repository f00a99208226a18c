/**
 * Bad input found by probing the endpoint and by public SCIM test suites: hostile nesting, media
 * types, paging values and oversized values, each refused with a clear 4xx and no write.
 */
import { beforeAll, describe, it } from 'vitest'
import {
  ADMIN_TOKEN,
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
const DEEP = 10_000
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`

describe('Deeply nested bodies', () => {
  let tenant: TestTenant
  let scim: ScimClient
  let userId: string
  beforeAll(async () => {
    tenant = await createTenant()
    scim = scimClient(tenant)
    userId = (await json(await scim.post('/Users', { userName: 'deep@example.com' }))).id
  })

  it.for<[string, string, string]>([
    ['POST', '/Users', `{"userName":"x","title":${deepArray}}`],
    ['POST', '/Groups', `{"displayName":"x","members":${deepObject}}`],
    ['PUT', '/Users/{id}', `{"userName":"x","name":${deepObject}}`],
    ['PATCH', '/Users/{id}', `{"Operations":[{"op":"add","value":${deepArray}}]}`],
    ['POST', '/Users/.search', `{"filter":${deepObject}}`],
  ])(
    'Should answer %s %s nested 10,000 levels with 400 invalidSyntax',
    async ([method, path, body], { expect }) => {
      const res = await scim.request(method, path.replace('{id}', userId), body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        schemas: [ERROR],
        status: '400',
        scimType: 'invalidSyntax',
        detail: expect.stringContaining('more than 32 levels deep') as unknown,
      })
      const users = await json(await scim.get('/Users'))
      expect(users.Resources.map((u) => u.userName)).toEqual(['deep@example.com'])
    }
  )

  it('Should answer deep admin and agent API bodies with 400 naming the limit', async ({
    expect,
  }) => {
    const key = await (
      await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'agents', scope: 'agent' })
    ).json<{ token: string }>()
    const requests: [string, string][] = [
      [`/admin/v1/tenants/${tenant.id}/agents`, `Bearer ${ADMIN_TOKEN}`],
      [`/agent/v1/agents`, `Bearer ${key.token}`],
      [`/admin/v1/tenants/${tenant.id}/roles`, `Bearer ${ADMIN_TOKEN}`],
    ]
    for (const [path, authorization] of requests) {
      for (const body of [`{"agents":${deepArray}}`, `{"name":${deepObject}}`]) {
        const res = await call(path, {
          method: 'POST',
          headers: { Authorization: authorization, 'Content-Type': 'application/json' },
          body,
        })
        expect(res.status, path).toBe(400)
        expect(await res.json(), path).toEqual({
          error: {
            status: 400,
            message: expect.stringContaining('more than 32 levels deep') as unknown,
          },
        })
      }
    }
  })

  it('Should still accept an ordinary nested body', async ({ expect }) => {
    const res = await scim.patch(
      `/Users/${userId}`,
      patchOp({
        op: 'add',
        value: {
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'm' } },
        },
      })
    )
    expect(res.status).toBe(200)
  })
})

describe('Media types of request bodies', () => {
  let tenant: TestTenant
  let scim: ScimClient
  beforeAll(async () => {
    tenant = await createTenant()
    scim = scimClient(tenant)
  })

  const send = (method: string, path: string, body: BodyInit, contentType?: string) =>
    call(`/scim/v2${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${tenant.token}`,
        ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
      },
      body,
    })

  it.for<[string, string | undefined]>([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form type', 'application/x-www-form-urlencoded'],
    ['no Content-Type', undefined],
  ])('Should read a JSON body sent as %s as JSON', async ([label, type], { expect }) => {
    const userName = `typed.${label.replace(/\W/g, '')}@example.com`
    // A byte body: fetch adds no Content-Type of its own.
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
    const created = await send('POST', '/Users', bytes({ userName, title: 'A' }), type)
    expect(created.status).toBe(201)
    const user = await json(created)
    expect(user).toMatchObject({ userName, title: 'A' })
    const put = await send('PUT', `/Users/${user.id}`, bytes({ userName, title: 'B' }), type)
    expect(await json(put)).toMatchObject({ title: 'B' })
    const patched = await send(
      'PATCH',
      `/Users/${user.id}`,
      bytes(patchOp({ op: 'replace', path: 'title', value: 'C' })),
      type
    )
    expect(await json(patched)).toMatchObject({ title: 'C' })
    const found = await send(
      'POST',
      '/Users/.search',
      bytes({ filter: `userName eq "${userName}"` }),
      type
    )
    expect((await json(found)).Resources.map((u) => u.title)).toEqual(['C'])
  })

  it.for<[string, string]>([
    ['text/plain', 'userName=form@example.com'],
    ['application/x-www-form-urlencoded', 'userName=form%40example.com&active=true'],
    ['application/xml', '<User><userName>x</userName></User>'],
    ['text/plain', '{"userName": "half'],
  ])(
    'Should answer a body sent as %s that is not JSON with 415',
    async ([type, body], { expect }) => {
      const res = await send('POST', '/Users', body, type)
      expect(res.status).toBe(415)
      expect(await res.json()).toMatchObject({
        schemas: [ERROR],
        status: '415',
        detail: expect.stringMatching(
          new RegExp(`sent as "${type}".*application/scim\\+json or application/json`)
        ) as unknown,
      })
      expect((await json(await scim.get('/Users?filter=userName sw "form"'))).totalResults).toBe(0)
    }
  )

  it('Should read a JSON admin body sent as text/plain as JSON', async ({ expect }) => {
    const res = await call(`/admin/v1/tenants/${tenant.id}/roles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
      body: JSON.stringify({ name: 'Plain' }),
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ name: 'Plain' })
  })
})

describe('Paging values', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant())
    for (const name of ['p1', 'p2', 'p3']) await scim.post('/Users', { userName: name })
  })

  it.for<[string, string, string]>([
    [
      'startIndex=99999999999999999999',
      'invalidValue',
      'startIndex "99999999999999999999" is too large',
    ],
    ['startIndex=2147483648', 'invalidValue', 'startIndex "2147483648" is too large'],
    ['startIndex=abc', 'invalidValue', 'startIndex must be an integer, not "abc"'],
    ['startIndex=1.5', 'invalidValue', 'startIndex must be an integer, not "1.5"'],
    ['count=abc', 'invalidCount', 'count must be an integer, not "abc"'],
  ])('Should answer GET /Users?%s with 400 %s', async ([query, scimType, detail], { expect }) => {
    const res = await scim.get(`/Users?${query}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      schemas: [ERROR],
      status: '400',
      scimType,
      detail: expect.stringContaining(detail) as unknown,
    })
  })

  it.for<[string, Record<string, unknown>, string, string]>([
    [
      'a huge startIndex',
      { startIndex: 1e20 },
      'invalidValue',
      'startIndex 100000000000000000000 is too large',
    ],
    [
      'a fractional startIndex',
      { startIndex: 2.5 },
      'invalidValue',
      'startIndex must be an integer',
    ],
    ['a fractional count', { count: 1.5 }, 'invalidCount', 'count must be an integer'],
    ['a text count', { count: 'all' }, 'invalidCount', 'count must be an integer, not "all"'],
  ])(
    'Should answer a /.search body with %s with 400',
    async ([, body, scimType, detail], { expect }) => {
      const res = await scim.post('/Users/.search', body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        status: '400',
        scimType,
        detail: expect.stringContaining(detail) as unknown,
      })
    }
  )

  it('Should clamp a huge or negative count and a negative startIndex', async ({ expect }) => {
    const huge = await json(await scim.get('/Users?count=99999999999999999999'))
    expect(huge).toMatchObject({ totalResults: 3, itemsPerPage: 3, startIndex: 1 })
    const negative = await json(
      await scim.post('/Users/.search', { startIndex: -1e20, count: -1e20 })
    )
    expect(negative).toMatchObject({ totalResults: 3, itemsPerPage: 0, startIndex: 1 })
    const last = await json(await scim.post('/Users/.search', { startIndex: 3, count: 1e20 }))
    expect(last).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 3 })
  })
})

describe('Value limits', () => {
  let scim: ScimClient
  beforeAll(async () => {
    scim = scimClient(await createTenant())
  })

  const emails = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ value: `e${String(i)}@example.com` }))

  it.for<[string, Record<string, unknown>, string]>([
    [
      'a 1 MiB userName',
      { userName: 'x'.repeat(1024 * 1024) },
      'Attribute "userName" is 1048576 characters long; at most 1024 are accepted',
    ],
    [
      '10,000 emails',
      { userName: 'many@example.com', emails: emails(10_000) },
      'Attribute "emails" has 10000 values; at most 100 are accepted',
    ],
    [
      'a 5,000-character title',
      { userName: 'long@example.com', title: 't'.repeat(5000) },
      'Attribute "title" is 5000 characters long; at most 4096 are accepted',
    ],
  ])('Should refuse a user with %s and write nothing', async ([, body, detail], { expect }) => {
    const res = await scim.post('/Users', body)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue', detail })
    expect((await json(await scim.get('/Users'))).totalResults).toBe(0)
  })

  it('Should refuse a PATCH that grows emails past 100 and keep the user as it was', async ({
    expect,
  }) => {
    const user = await json(
      await scim.post('/Users', { userName: 'full@example.com', emails: emails(100) })
    )
    const res = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'add', path: 'emails', value: [{ value: 'one.more@example.com' }] })
    )
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      scimType: 'invalidValue',
      detail: 'Operation 1: Attribute "emails" has 101 values; at most 100 are accepted',
    })
    expect((await json(await scim.get(`/Users/${user.id}`))).emails).toHaveLength(100)
    await scim.del(`/Users/${user.id}`)
  })

  it('Should refuse more than 50,000 members in one group request', async ({ expect }) => {
    const members = Array.from({ length: 50_001 }, (_, i) => ({ value: i.toString(36) }))
    const res = await scim.post('/Groups', { displayName: 'Everyone', members })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      scimType: 'invalidValue',
      detail: 'Attribute "members" has 50001 values; at most 50000 are accepted per request',
    })
  })

  it('Should keep accepting groups with more members than a user has emails', async ({
    expect,
  }) => {
    const ids: string[] = []
    for (let i = 0; i < 150; i++) {
      ids.push((await json(await scim.post('/Users', { userName: `m${String(i)}@x.com` }))).id)
    }
    const created = await scim.post('/Groups', {
      displayName: 'Big',
      members: ids.map((value) => ({ value })),
    })
    expect(created.status).toBe(201)
    expect((await json(created)).members).toHaveLength(150)
  })

  it('Should state the limits in /Schemas', async ({ expect }) => {
    const schema = await json(await scim.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'))
    const attrs = schema.attributes as { name: string; description: string }[]
    expect(attrs.find((a) => a.name === 'userName')?.description).toContain(
      'At most 1024 characters.'
    )
    expect(attrs.find((a) => a.name === 'emails')?.description).toContain('At most 100 values.')
  })
})
