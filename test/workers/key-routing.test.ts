/**
 * Writes of a key the Worker has let through before go to the tenant's object without a D1 read
 * in the Worker: the object judges the key. These tests hold that object to the Worker's rule:
 * revoking a key, disabling its instance or offboarding its tenant refuses its next write at
 * once, a wrong secret for a known key id writes nothing, and refusals answer as the Worker's.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, createInstance, type HistoryEntry } from '../support/directory'
import { scimTrips } from '../support/round-trips'
import {
  admin,
  createTenant,
  json,
  patchOp,
  scimClient,
  type TestTenant,
  withWrongSecret,
} from '../support/scim'

/** A tenant whose key has already made a write, so this isolate routes its writes. */
async function routedTenant(region: 'us' | 'eu' = 'us'): Promise<{
  tenant: TestTenant
  scim: ReturnType<typeof scimClient>
}> {
  const tenant = await createTenant(region)
  const scim = scimClient(tenant)
  expect201(await scim.post('/Users', { userName: 'first@example.com' }))
  return { tenant, scim }
}

function expect201(res: Response): void {
  if (res.status !== 201) throw new Error(`expected 201, got ${String(res.status)}`)
}

const userCount = async (tenantId: string): Promise<number> => {
  const db = tenantId.startsWith('eu_') ? env.DB_EU : env.DB_US
  const row = await db
    .prepare('SELECT count(*) AS n FROM users WHERE tenant_id = ?')
    .bind(tenantId)
    .first<{ n: number }>()
  return row?.n ?? -1
}

describe('Writes judged by the tenant object', () => {
  it('Should write without a D1 round trip in the Worker once the key is known', async ({
    expect,
  }) => {
    const { tenant } = await routedTenant()
    const res = await scimTrips(tenant, 'POST', '/Users', { userName: 'second@example.com' })
    expect(res.res.status).toBe(201)
    expect(res.trips).toBe(0)
  })

  it.for(['us', 'eu'] as const)(
    'Should refuse the next write of a key revoked a moment before, and write nothing (%s)',
    async (region, { expect }) => {
      const { tenant, scim } = await routedTenant(region)
      expect((await scim.post('/Users', { userName: 'b@example.com' })).status).toBe(201)
      expect((await admin('DELETE', `/tenants/${tenant.id}/keys/${tenant.keyId}`)).status).toBe(204)
      const res = await scim.post('/Users', { userName: 'mallory@example.com' })
      expect(res.status).toBe(401)
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="SCIM"')
      expect(await res.json()).toMatchObject({
        status: '401',
        detail: 'The key is not valid or was revoked',
      })
      expect(await userCount(tenant.id)).toBe(2)
    }
  )

  it('Should refuse a routed write with a wrong secret and keep serving the right one', async ({
    expect,
  }) => {
    const { tenant, scim } = await routedTenant()
    const wrong = withWrongSecret(tenant)
    const refused = await scimClient(wrong).post('/Users', { userName: 'mallory@example.com' })
    expect(refused.status).toBe(401)
    const group = await scimClient(wrong).post('/Groups', { displayName: 'Mallory' })
    expect(group.status).toBe(401)
    expect(await userCount(tenant.id)).toBe(1)
    expect((await scim.post('/Users', { userName: 'c@example.com' })).status).toBe(201)
  })

  it("Should answer a routed user PATCH with the user's groups, and a refused one with nothing", async ({
    expect,
  }) => {
    const { tenant, scim } = await routedTenant()
    const user = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    const group = await json(
      await scim.post('/Groups', { displayName: 'Secret Project', members: [{ value: user.id }] })
    )
    const patch = patchOp({ op: 'replace', path: 'title', value: 'Engineer' })
    const patched = await scimTrips(tenant, 'PATCH', `/Users/${user.id}`, patch)
    expect(patched.res.status).toBe(200)
    expect(await patched.res.json()).toMatchObject({
      title: 'Engineer',
      groups: [{ value: group.id, display: 'Secret Project' }],
    })
    const wrong = withWrongSecret(tenant)
    const refused = await scimClient(wrong).patch(`/Users/${user.id}`, patch)
    expect(refused.status).toBe(401)
    expect(await refused.text()).not.toContain('Secret Project')
  })

  it("Should refuse the writes of a disabled instance's key, then accept them once enabled", async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { instance, key } = await createInstance(tenant.id, { name: 'Entra', kind: 'entra-scim' })
    const scim = scimClient({ ...tenant, token: key?.token ?? '' })
    const group = await json(await scim.post('/Groups', { displayName: 'Sales' }))
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instance.id}/disable`)
    const patch = patchOp({ op: 'replace', path: 'displayName', value: 'Sales EMEA' })
    const refused = await scim.patch(`/Groups/${group.id}`, patch)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({
      detail: 'The integration instance of this key is disabled',
    })
    expect((await scim.del(`/Groups/${group.id}`)).status).toBe(401)
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instance.id}/enable`)
    expect((await scim.patch(`/Groups/${group.id}`, patch)).status).toBe(204)
    // The history names the instance and key of the routed write.
    const history = await adminJson<{ entries: HistoryEntry[] }>(
      'GET',
      `/tenants/${tenant.id}/history?op=group.update`
    )
    expect(history.entries[0]).toMatchObject({ instanceId: instance.id, keyId: key?.id })
  })

  it("Should hold a routed key's writes to its own limit, answering 429 with Retry-After", async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { token } = await adminJson<{ token: string }>(
      'POST',
      `/tenants/${tenant.id}/keys`,
      { name: 'slow', rateLimitPerMinute: 3 },
      201
    )
    const scim = scimClient({ ...tenant, token })
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const res = await scim.post('/Users', { userName: `u${String(i)}@example.com` })
      statuses.push(res.status)
      if (res.status === 429) {
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
        expect(await res.json()).toMatchObject({ status: '429' })
      }
    }
    // The key's first write is counted in the Worker, the rest by the object that judges them.
    expect(statuses.filter((s) => s === 201)).toHaveLength(4)
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429])
    expect(await userCount(tenant.id)).toBe(4)
  })

  it('Should refuse the writes of a tenant being offboarded', async ({ expect }) => {
    const { tenant, scim } = await routedTenant()
    const res = await admin('DELETE', `/tenants/${tenant.id}?confirm=${tenant.id}`)
    expect(res.status).toBeLessThan(300)
    const after = await scim.post('/Users', { userName: 'late@example.com' })
    expect(after.status).toBe(401)
  })
})
