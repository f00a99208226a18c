/**
 * The operator admin API: tenants per region and SCIM keys with rotation.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { admin, call, createTenant } from '../support/scim'

interface KeyView {
  id: string
  name: string
  prefix: string
  token?: string
  lastUsedAt: string | null
  revokedAt: string | null
}

const scimGet = (token: string) =>
  call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })

describe('Admin API', () => {
  it('Should refuse requests without the admin token', async ({ expect }) => {
    const res = await call('/admin/v1/tenants')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      error: { status: 401, message: 'A valid admin token is required' },
    })
    const wrong = await call('/admin/v1/tenants', { headers: { Authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
  })

  it('Should create tenants in their own region only', async ({ expect }) => {
    const us = await admin('POST', '/tenants', { name: 'US Co', region: 'us' })
    const eu = await admin('POST', '/tenants', { name: 'EU GmbH', region: 'eu' })
    expect(us.status).toBe(201)
    const usBody = await us.json<{ id: string; scimUrl: string }>()
    const euBody = await eu.json<{ id: string }>()
    expect(usBody.id).toMatch(/^us_[a-z0-9]{16}$/)
    expect(euBody.id).toMatch(/^eu_[a-z0-9]{16}$/)
    expect(usBody.scimUrl).toBe('https://scim.test/scim/v2')
    const inUs = await env.DB_US.prepare('SELECT id FROM tenants').all<{ id: string }>()
    const inEu = await env.DB_EU.prepare('SELECT id FROM tenants').all<{ id: string }>()
    expect(inUs.results.map((r) => r.id)).toContain(usBody.id)
    expect(inUs.results.map((r) => r.id)).not.toContain(euBody.id)
    expect(inEu.results.map((r) => r.id)).toEqual([euBody.id])
    const list = await (await admin('GET', '/tenants')).json<{ tenants: { id: string }[] }>()
    expect(list.tenants.map((t) => t.id)).toEqual(expect.arrayContaining([usBody.id, euBody.id]))
  })

  it('Should reject a bad tenant body with a clear 400', async ({ expect }) => {
    const res = await admin('POST', '/tenants', { name: 'X', region: 'mars' })
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain('region')
    expect((await admin('GET', '/tenants/us_doesnotexist00000')).status).toBe(404)
  })

  it('Should show a key once, store only its hash, and rotate, regenerate and revoke keys', async ({
    expect,
  }) => {
    const tenant = await createTenant('us')
    const second = await (
      await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'okta' })
    ).json<KeyView>()
    expect(second.token).toMatch(/^scim_us_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/)
    const stored = await env.DB_US.prepare('SELECT secret_hash FROM scim_keys WHERE id = ?')
      .bind(second.id)
      .first<{ secret_hash: string }>()
    expect(stored?.secret_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(second.token?.split('_').at(-1) ?? 'x')

    expect((await scimGet(tenant.token)).status).toBe(200)
    expect((await scimGet(second.token ?? '')).status).toBe(200)
    const listed = await (
      await admin('GET', `/tenants/${tenant.id}/keys`)
    ).json<{
      keys: KeyView[]
    }>()
    expect(listed.keys.map((k) => k.name)).toEqual(['entra', 'okta'])
    expect(listed.keys.every((k) => k.token === undefined)).toBe(true)
    expect(listed.keys[0]?.prefix).toBe(tenant.token.slice(0, 'scim_us_'.length + 12))

    const regenerated = await (
      await admin('POST', `/tenants/${tenant.id}/keys/${second.id}/regenerate`)
    ).json<KeyView>()
    expect(regenerated.token).not.toBe(second.token)
    expect((await scimGet(second.token ?? '')).status).toBe(401)
    expect((await scimGet(regenerated.token ?? '')).status).toBe(200)

    expect((await admin('DELETE', `/tenants/${tenant.id}/keys/${tenant.keyId}`)).status).toBe(204)
    const revoked = await scimGet(tenant.token)
    expect(revoked.status).toBe(401)
    expect(await revoked.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    })
    expect((await scimGet(regenerated.token ?? '')).status).toBe(200)
    expect((await admin('DELETE', `/tenants/${tenant.id}/keys/${tenant.keyId}`)).status).toBe(404)
  })
})
