/**
 * Bad input and protocol edges found by probing the endpoint and by public SCIM test suites:
 * hostile nesting, paging values, oversized values, wrong methods and media types, path
 * spellings, the TrackTik URL and the ActivTrak guide's dotted extension paths.
 */
import { beforeAll, describe, it } from 'vitest'
import {
  ADMIN_TOKEN,
  call,
  createTenant,
  json,
  patchOp,
  scimClient,
  admin,
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
    const key = (await (
      await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'agents', scope: 'agent' })
    ).json()) as { token: string }
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
