/**
 * Integration instances: SCIM kinds come with their first key (shown once) and the tenant URL
 * of the tenant's region; disabling an instance makes its keys answer 401, enabling restores
 * them, deleting revokes them. Pull instances keep their client secret sealed and never show it.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, createInstance } from '../support/directory'
import { admin, call, createTenant } from '../support/scim'

interface Created {
  instance: {
    id: string
    name: string
    kind: string
    enabled: boolean
    settings?: Record<string, unknown>
  }
  key?: { id: string; token: string; prefix: string; instanceId: string }
  scimUrl?: string
}

const usersWith = (token: string) =>
  call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })

describe('Integration instances', () => {
  it('Should create an Entra SCIM instance with its first key and the regional tenant URL', async ({
    expect,
  }) => {
    const tenant = await createTenant('eu', 'Fabrikam')
    const created = await createInstance<Created>(tenant.id, {
      name: 'Entra prod',
      kind: 'entra-scim',
    })
    expect(created.instance).toMatchObject({
      name: 'Entra prod',
      kind: 'entra-scim',
      enabled: true,
    })
    expect(created.scimUrl).toBe('https://scim.test/scim/v2')
    expect(created.key?.token).toMatch(/^scim_eu_/)
    expect(created.key?.instanceId).toBe(created.instance.id)
    expect((await usersWith(created.key?.token ?? '')).status).toBe(200)

    const listed = await adminJson<{ instances: { id: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/instances`
    )
    expect(listed.instances.map((i) => i.id)).toEqual([created.instance.id])
    const keys = await adminJson<{ keys: Record<string, unknown>[] }>(
      'GET',
      `/tenants/${tenant.id}/instances/${created.instance.id}/keys`
    )
    expect(keys.keys).toHaveLength(1)
    expect(JSON.stringify(keys)).not.toContain(created.key?.token ?? 'missing')
  })

  it('Should answer 401 for a disabled instance’s keys, and accept them again once enabled', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { instance, key } = await createInstance<Created>(tenant.id, {
      name: 'Okta',
      kind: 'okta-scim',
    })
    const second = await adminJson<{ token: string }>(
      'POST',
      `/tenants/${tenant.id}/instances/${instance.id}/keys`,
      { name: 'rotation' },
      201
    )
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instance.id}/disable`)
    for (const token of [key?.token ?? '', second.token]) {
      const res = await usersWith(token)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({
        status: '401',
        detail: 'The integration instance of this key is disabled',
      })
    }
    expect((await usersWith(tenant.token)).status).toBe(200)
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instance.id}/enable`)
    expect((await usersWith(key?.token ?? '')).status).toBe(200)
  })

  it('Should revoke every key of a deleted instance', async ({ expect }) => {
    const tenant = await createTenant()
    const { instance, key } = await createInstance<Created>(tenant.id, {
      name: 'Old',
      kind: 'entra-scim',
    })
    expect((await admin('DELETE', `/tenants/${tenant.id}/instances/${instance.id}`)).status).toBe(
      204
    )
    expect((await usersWith(key?.token ?? '')).status).toBe(401)
    const row = await env.DB_US.prepare('SELECT revoked_at FROM scim_keys WHERE id = ?')
      .bind(key?.id ?? '')
      .first<{ revoked_at: string | null }>()
    expect(row?.revoked_at).not.toBeNull()
    expect((await admin('GET', `/tenants/${tenant.id}/instances/${instance.id}`)).status).toBe(404)
  })

  it('Should keep instance names unique per tenant and validate the kind', async ({ expect }) => {
    const tenant = await createTenant()
    await adminJson(
      'POST',
      `/tenants/${tenant.id}/instances`,
      { name: 'Entra', kind: 'entra-scim' },
      201
    )
    const dup = await admin('POST', `/tenants/${tenant.id}/instances`, {
      name: 'ENTRA',
      kind: 'okta-scim',
    })
    expect(dup.status).toBe(409)
    const bad = await admin('POST', `/tenants/${tenant.id}/instances`, { name: 'X', kind: 'ldap' })
    expect(bad.status).toBe(400)
    expect((await bad.json<{ error: { message: string } }>()).error.message).toContain('kind')
  })

  it('Should seal a pull instance’s client secret and never return it', async ({ expect }) => {
    const tenant = await createTenant()
    const body = {
      name: 'Entra pull',
      kind: 'entra-pull',
      directoryId: '11111111-1111-4111-8111-111111111111',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'super-secret-value',
      groupsParent: 'ActivTrak Groups',
    }
    const created = await createInstance<Created>(tenant.id, body)
    expect(created.instance.settings).toMatchObject({
      groupsParent: 'ActivTrak Groups',
      dntParent: null,
      intervalHours: 24,
      syncAttributes: false,
      clientSecretSet: true,
    })
    expect(created.key).toBeUndefined()
    const shown = JSON.stringify(
      await adminJson('GET', `/tenants/${tenant.id}/instances/${created.instance.id}`)
    )
    expect(shown).not.toContain('super-secret-value')
    const stored = await env.DB_US.prepare('SELECT secret_ciphertext FROM instances WHERE id = ?')
      .bind(created.instance.id)
      .first<{ secret_ciphertext: string }>()
    expect(stored?.secret_ciphertext).toMatch(/^v1\./)
    expect(stored?.secret_ciphertext).not.toContain('super-secret')
    const renamed = await adminJson<Created>(
      'PATCH',
      `/tenants/${tenant.id}/instances/${created.instance.id}`,
      { deleteParent: 'ActivTrak Delete' }
    )
    expect(renamed.instance.settings).toMatchObject({
      deleteParent: 'ActivTrak Delete',
      groupsParent: 'ActivTrak Groups',
    })
    expect(
      (
        await admin('POST', `/tenants/${tenant.id}/instances/${created.instance.id}/keys`, {
          name: 'k',
        })
      ).status
    ).toBe(400)
  })

  it('Should tell the operator, as a 503 naming it, that pull instances need the SECRETS_KEY secret', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const pull = {
      name: 'Entra pull',
      kind: 'entra-pull',
      directoryId: '11111111-1111-4111-8111-111111111111',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'super-secret-value',
      groupsParent: 'ActivTrak Groups',
    }
    const existing = await createInstance<Created>(tenant.id, pull)
    // The tenant's Durable Object deployed without the secret: its own bindings lack SECRETS_KEY
    // (the shared test runtime sets it for every test, so this object's env is replaced for one).
    const stub = env.TENANT_WRITER.getByName(tenant.id)
    const withoutKey = (instance: object) => {
      const bindings: unknown = Reflect.get(instance, 'env')
      const original = typeof bindings === 'object' && bindings !== null ? bindings : {}
      Reflect.set(instance, 'env', { ...original, SECRETS_KEY: undefined })
      return original
    }
    const original = await runInDurableObject(stub, withoutKey)
    try {
      const message = 'Pull sync instances need the SECRETS_KEY secret to be set'
      const created = await admin('POST', `/tenants/${tenant.id}/instances`, {
        ...pull,
        name: 'Another pull',
      })
      expect(created.status).toBe(503)
      expect(await created.json()).toEqual({ error: { status: 503, message } })
      const patched = await admin(
        'PATCH',
        `/tenants/${tenant.id}/instances/${existing.instance.id}`,
        { clientSecret: 'rotated' }
      )
      expect(patched.status).toBe(503)
      expect(await patched.json()).toEqual({ error: { status: 503, message } })
    } finally {
      await runInDurableObject(stub, (instance: object) => Reflect.set(instance, 'env', original))
    }
  })

  it('Should refuse a pull instance whose directory or client id could not be Entra’s', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const base = { name: 'P', kind: 'entra-pull', clientSecret: 's', groupsParent: 'G' }
    const cases = [
      [
        { directoryId: '../../evil', clientId: '22222222-2222-4222-8222-222222222222' },
        'directoryId',
      ],
      [{ directoryId: 'contoso.com', clientId: 'my app' }, 'clientId'],
    ] as const
    for (const [ids, field] of cases) {
      const res = await admin('POST', `/tenants/${tenant.id}/instances`, { ...base, ...ids })
      expect(res.status).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message).toContain(field)
    }
    await adminJson(
      'POST',
      `/tenants/${tenant.id}/instances`,
      {
        ...base,
        directoryId: 'contoso.onmicrosoft.com',
        clientId: '22222222-2222-4222-8222-222222222222',
      },
      201
    )
  })

  it('Should refuse an agent-scoped key on SCIM and a SCIM key on the agent API', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const agentKey = await adminJson<{ token: string; scope: string }>(
      'POST',
      `/tenants/${tenant.id}/keys`,
      { name: 'agents', scope: 'agent' },
      201
    )
    expect(agentKey.scope).toBe('agent')
    expect((await usersWith(agentKey.token)).status).toBe(403)
    const agentApi = (token: string) =>
      call('/agent/v1/agents', { headers: { Authorization: `Bearer ${token}` } })
    expect((await agentApi(agentKey.token)).status).toBe(200)
    const wrong = await agentApi(tenant.token)
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toEqual({
      error: { status: 403, message: 'This key may only call the SCIM endpoint' },
    })
    expect((await agentApi('scim_us_nope')).status).toBe(401)
  })
})
