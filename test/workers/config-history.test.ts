/**
 * Configuration changes are recorded in the history like provisioning changes: keys created,
 * regenerated and revoked (by name, prefix and instance, never their token or hash), instances
 * created, changed (which settings, before and after; the client secret only as "changed"),
 * disabled, enabled and deleted with the keys that went with them. Operators are recorded as
 * `operator`; a console admin calling the tenant's object as `admin` with their id and name.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { tenantWriter, unwrap } from '../../src/tenant-do/client'
import { adminJson, type HistoryEntry } from '../support/directory'
import { admin, createTenant, type TestTenant } from '../support/scim'

interface Entry extends HistoryEntry {
  actorId: string | null
  actorName: string | null
}

interface Created {
  instance: { id: string; name: string }
  key?: { id: string; token: string; prefix: string }
}

async function history(tenantId: string, resourceType?: string): Promise<Entry[]> {
  const { entries } = await adminJson<{ entries: Entry[] }>(
    'GET',
    `/tenants/${tenantId}/history?limit=1000`
  )
  return entries.filter((e) => resourceType === undefined || e.resourceType === resourceType)
}

/** Every history row of the tenant as stored, for what must never be in it. */
async function rawHistory(tenantId: string): Promise<string> {
  const rows = await env.DB_US.prepare('SELECT * FROM history WHERE tenant_id = ?')
    .bind(tenantId)
    .all()
  return JSON.stringify(rows.results)
}

const pullBody = {
  name: 'Entra pull',
  kind: 'entra-pull',
  directoryId: '11111111-1111-4111-8111-111111111111',
  clientId: '22222222-2222-4222-8222-222222222222',
  clientSecret: 'first-secret-value',
  groupsParent: 'ActivTrak Groups',
}

const createInstance = (tenant: TestTenant, body: unknown) =>
  adminJson<Created>('POST', `/tenants/${tenant.id}/instances`, body, 201)

describe('Configuration history', () => {
  it('Should record keys created, regenerated and revoked, never with their token or hash', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const created = await adminJson<{ id: string; token: string; prefix: string }>(
      'POST',
      `/tenants/${tenant.id}/keys`,
      { name: 'okta', scope: 'agent', rateLimitPerMinute: 600 },
      201
    )
    const regenerated = await adminJson<{ token: string }>(
      'POST',
      `/tenants/${tenant.id}/keys/${created.id}/regenerate`
    )
    await adminJson('DELETE', `/tenants/${tenant.id}/keys/${created.id}`, undefined, 204)

    const entries = (await history(tenant.id, 'Key')).filter((e) => e.resourceId === created.id)
    expect(entries.map((e) => e.op)).toEqual(['key.revoke', 'key.regenerate', 'key.create'])
    const [revoke, regenerate, create] = entries
    const facts = { name: 'okta', prefix: created.prefix, instanceId: null }
    const named = (side: 'before' | 'after') =>
      Object.entries(facts).map(([attr, value]) => ({ attr, [side]: value }))
    expect(create?.changes).toEqual([
      ...named('after'),
      { attr: 'scope', after: 'agent' },
      { attr: 'rateLimitPerMinute', after: 600 },
    ])
    expect(regenerate?.changes).toEqual([...named('after'), { attr: 'secret', after: 'changed' }])
    expect(revoke?.changes).toEqual([
      ...named('before'),
      { attr: 'revokedAt', after: expect.any(String) as unknown },
    ])
    expect(create).toMatchObject({ actor: 'operator', actorId: null, keyId: null })
    expect(create?.requestId).toEqual(expect.any(String))

    const stored = await env.DB_US.prepare('SELECT secret_hash FROM scim_keys WHERE id = ?')
      .bind(created.id)
      .first<{ secret_hash: string }>()
    const raw = await rawHistory(tenant.id)
    for (const secret of [created.token, regenerated.token, tenant.token])
      expect(raw).not.toContain(secret.split('_').slice(3).join('_'))
    expect(raw).not.toContain(stored?.secret_hash)
  })

  it('Should record an instance created, renamed, disabled, enabled and deleted with its keys', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { instance, key } = await createInstance(tenant, { name: 'Okta', kind: 'okta-scim' })
    const second = await adminJson<{ id: string; prefix: string }>(
      'POST',
      `/tenants/${tenant.id}/instances/${instance.id}/keys`,
      { name: 'rotation' },
      201
    )
    const path = `/tenants/${tenant.id}/instances/${instance.id}`
    await adminJson('PATCH', path, { name: 'Okta prod' })
    await adminJson('PATCH', path, { name: 'Okta prod' })
    await adminJson('POST', `${path}/disable`)
    await adminJson('POST', `${path}/enable`)
    await adminJson('DELETE', path, undefined, 204)

    const ours = [instance.id, key?.id, second.id]
    const entries = (await history(tenant.id)).filter((e) => ours.includes(e.resourceId))
    expect(entries.map((e) => [e.op, e.resourceId])).toEqual([
      ['key.revoke', second.id],
      ['key.revoke', key?.id],
      ['instance.delete', instance.id],
      ['instance.enable', instance.id],
      ['instance.disable', instance.id],
      ['instance.update', instance.id],
      ['key.create', second.id],
      ['key.create', key?.id],
      ['instance.create', instance.id],
    ])
    const change = (op: string) => entries.find((e) => e.op === op)?.changes
    expect(change('instance.create')).toEqual([
      { attr: 'name', after: 'Okta' },
      { attr: 'kind', after: 'okta-scim' },
    ])
    expect(change('instance.update')).toEqual([
      { attr: 'name', before: 'Okta', after: 'Okta prod' },
    ])
    expect(change('instance.disable')).toEqual([{ attr: 'enabled', before: true, after: false }])
    expect(change('instance.enable')).toEqual([{ attr: 'enabled', before: false, after: true }])
    expect(change('instance.delete')).toEqual([
      { attr: 'name', before: 'Okta prod' },
      { attr: 'kind', before: 'okta-scim' },
      { attr: 'keys', countBefore: 2, countAfter: 0 },
    ])
    expect(entries.find((e) => e.resourceId === second.id)?.changes).toContainEqual({
      attr: 'instanceId',
      before: instance.id,
    })
    expect(entries.every((e) => e.actor === 'operator')).toBe(true)
  })

  it('Should record which pull settings changed, and the client secret only as changed', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { instance } = await createInstance(tenant, pullBody)
    const path = `/tenants/${tenant.id}/instances/${instance.id}`
    await adminJson('PATCH', path, {
      groupsParent: 'Product Groups',
      dntParent: 'No Tracking',
      intervalHours: 24,
      clientSecret: 'second-secret-value',
    })
    await adminJson('PATCH', path, { groupsParent: 'Product Groups', syncAttributes: false })

    const entries = await history(tenant.id, 'Instance')
    expect(entries.map((e) => e.op)).toEqual(['instance.update', 'instance.create'])
    expect(entries[1]?.changes).toEqual([
      { attr: 'name', after: 'Entra pull' },
      { attr: 'kind', after: 'entra-pull' },
      { attr: 'directoryId', after: pullBody.directoryId },
      { attr: 'clientId', after: pullBody.clientId },
      { attr: 'groupsParent', after: 'ActivTrak Groups' },
      { attr: 'dntParent', after: null },
      { attr: 'deleteParent', after: null },
      { attr: 'intervalHours', after: 24 },
      { attr: 'syncAttributes', after: false },
      { attr: 'clientSecret', after: 'set' },
    ])
    expect(entries[0]?.changes).toEqual([
      { attr: 'groupsParent', before: 'ActivTrak Groups', after: 'Product Groups' },
      { attr: 'dntParent', before: null, after: 'No Tracking' },
      { attr: 'clientSecret', after: 'changed' },
    ])
    const raw = await rawHistory(tenant.id)
    expect(raw).not.toContain('first-secret-value')
    expect(raw).not.toContain('second-secret-value')
    expect(raw).not.toContain('v1.')
  })

  it('Should answer 409 naming the taken instance name on create and rename, writing nothing', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    await createInstance(tenant, { name: 'Entra', kind: 'entra-scim' })
    const other = await createInstance(tenant, { name: 'Okta', kind: 'okta-scim' })
    const before = await history(tenant.id)
    const dup = await admin('POST', `/tenants/${tenant.id}/instances`, {
      name: 'ENTRA',
      kind: 'okta-scim',
    })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toEqual({
      error: { status: 409, message: 'An instance named "ENTRA" already exists' },
    })
    const rename = await admin('PATCH', `/tenants/${tenant.id}/instances/${other.instance.id}`, {
      name: 'entra',
    })
    expect(rename.status).toBe(409)
    expect(await rename.json()).toEqual({
      error: { status: 409, message: 'An instance named "entra" already exists' },
    })
    expect(await history(tenant.id)).toEqual(before)
    const keys = await env.DB_US.prepare('SELECT count(*) AS n FROM scim_keys WHERE tenant_id = ?')
      .bind(tenant.id)
      .first<{ n: number }>()
    expect(keys?.n).toBe(3)
  })

  it('Should record a console admin who calls the tenant’s object as the actor', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const envelope = {
      tenantId: tenant.id,
      requestId: 'console-req-0001',
      actor: {
        kind: 'admin' as const,
        instanceId: null,
        keyId: null,
        adminId: 'adm_0001',
        name: 'it.admin@contoso.com',
      },
    }
    const writer = tenantWriter(env, tenant.id)
    const { instance } = unwrap(
      await writer.createInstance(envelope, { name: 'Console Entra', kind: 'entra-scim' })
    )
    const key = unwrap(await writer.createKey(envelope, instance.id, { name: 'from console' }))
    expect(key.token).toMatch(/^scim_us_/)

    const entries = (await history(tenant.id)).filter((e) => e.requestId === 'console-req-0001')
    expect(entries.map((e) => e.op)).toEqual(['key.create', 'key.create', 'instance.create'])
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actor: 'admin',
        actorId: 'adm_0001',
        actorName: 'it.admin@contoso.com',
      })
    }
  })
})
