/**
 * The console's Integrations pages through the Worker's fetch: adding an instance from a card
 * shows its tenant URL and key once (and the key works over SCIM), keys are regenerated and
 * revoked, an instance is disabled, enabled and deleted behind a typed confirmation, another
 * tenant's admin sees none of it, and every action is recorded under the admin's identity.
 */
import { describe, it } from 'vitest'
import { signedIn, type Browser } from '../support/console'
import { admin, call, createTenant } from '../support/scim'

const tokenIn = (html: string): string =>
  /scim_us_[a-z0-9]{12}_[A-Za-z0-9_-]{43}/.exec(html)?.[0] ?? ''
const instanceIdIn = (html: string): string =>
  /\/console\/integrations\/([a-z0-9]{12})"/.exec(html)?.[1] ?? ''

const scimStatus = async (token: string): Promise<number> =>
  (await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })).status

async function addEntra(b: Browser, name: string) {
  await b.get('/console/integrations/new/entra-scim')
  const res = await b.post('/console/integrations/new/entra-scim', { name })
  const html = await res.text()
  return { res, html, token: tokenIn(html), id: instanceIdIn(html) }
}

describe('Console integrations', () => {
  it('Should add an Entra SCIM instance from its card and show its tenant URL and key once', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'int1@acme.test' })
    const list = await (await b.get('/console/integrations')).text()
    for (const label of [
      'Microsoft Entra ID (SCIM)',
      'Okta (SCIM)',
      'Microsoft Entra ID (directory sync)',
    ])
      expect(list).toContain(label)
    expect(list).toContain('href="/console/integrations/new/entra-scim"')

    const { res, html, token, id } = await addEntra(b, 'Entra production')
    expect(res.status).toBe(201)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(html).toContain('https://scim.test/scim/v2')
    expect(html).toContain('cannot be shown again')
    expect(html).toContain('Secret Token')
    expect(await scimStatus(token)).toBe(200)
    const view = await (await b.get(`/console/integrations/${id}`)).text()
    expect(view).not.toContain(token)
    expect(view).toContain('Entra production')

    const history = await (
      await admin('GET', `/tenants/${tenant.id}/history?limit=50`)
    ).json<{
      entries: { op: string; actor: string; actorName: string | null }[]
    }>()
    expect(history.entries.find((e) => e.op === 'instance.create')).toMatchObject({
      actor: 'admin',
      actorName: 'int1@acme.test',
    })
  })

  it('Should regenerate and revoke keys, each taking effect at once', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'int2@acme.test' })
    const { token, id } = await addEntra(b, 'Rotating')
    const page = await (await b.get(`/console/integrations/${id}`)).text()
    const keyId = /\/keys\/([a-z0-9]{12})\/regenerate/.exec(page)?.[1] ?? ''
    const regenerated = await b.post(`/console/integrations/${id}/keys/${keyId}/regenerate`, {})
    const fresh = tokenIn(await regenerated.text())
    expect(fresh).not.toBe(token)
    expect(await scimStatus(token)).toBe(401)
    expect(await scimStatus(fresh)).toBe(200)

    await b.get(`/console/integrations/${id}`)
    const added = await b.post(`/console/integrations/${id}/keys`, { name: 'second' })
    expect(added.status).toBe(201)
    const second = tokenIn(await added.text())
    expect(await scimStatus(second)).toBe(200)
    await b.get(`/console/integrations/${id}`)
    expect((await b.post(`/console/integrations/${id}/keys/${keyId}/revoke`, {})).status).toBe(303)
    expect(await scimStatus(fresh)).toBe(401)
    expect(await scimStatus(second)).toBe(200)
  })

  it('Should disable, enable and delete an instance, deletion only with its name typed', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'int3@acme.test' })
    const { token, id } = await addEntra(b, 'Okay to delete')
    await b.get(`/console/integrations/${id}`)
    expect((await b.post(`/console/integrations/${id}/disable`, {})).status).toBe(303)
    expect(await scimStatus(token)).toBe(401)
    await b.get(`/console/integrations/${id}`)
    expect((await b.post(`/console/integrations/${id}/enable`, {})).status).toBe(303)
    expect(await scimStatus(token)).toBe(200)

    const page = await (await b.get(`/console/integrations/${id}`)).text()
    expect(page).toContain('data-must-equal="Okay to delete"')
    const wrong = await b.post(`/console/integrations/${id}/delete`, { confirm: 'okay' })
    expect(wrong.status).toBe(400)
    expect(await scimStatus(token)).toBe(200)
    await b.get(`/console/integrations/${id}`)
    const done = await b.post(`/console/integrations/${id}/delete`, { confirm: 'Okay to delete' })
    expect(done.status).toBe(303)
    expect(await scimStatus(token)).toBe(401)
    expect((await b.get(`/console/integrations/${id}`)).status).toBe(404)
  })

  it("Should answer 404 to another tenant's admin for every URL of an instance", async ({
    expect,
  }) => {
    const a = await createTenant()
    const other = await createTenant()
    const owner = await signedIn(a.id, { email: 'int4a@acme.test' })
    const stranger = await signedIn(other.id, { email: 'int4b@acme.test' })
    const { token, id } = await addEntra(owner, 'Private')
    const page = await (await owner.get(`/console/integrations/${id}`)).text()
    const keyId = /\/keys\/([a-z0-9]{12})\/regenerate/.exec(page)?.[1] ?? ''
    expect((await stranger.get(`/console/integrations/${id}`)).status).toBe(404)
    await stranger.get('/console/integrations')
    for (const action of [
      'disable',
      'enable',
      'rename',
      `keys/${keyId}/revoke`,
      `keys/${keyId}/regenerate`,
      'keys',
      'delete',
    ])
      expect(
        (
          await stranger.post(`/console/integrations/${id}/${action}`, {
            name: 'x',
            confirm: 'Private',
          })
        ).status
      ).toBe(404)
    expect(await scimStatus(token)).toBe(200)
  })

  it('Should create a directory sync with its own app registration and start a sync now', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'int5@acme.test' })
    await b.get('/console/integrations/new/entra-pull')
    const created = await b.post('/console/integrations/new/entra-pull', {
      name: 'Contoso directory',
      groupsParent: 'ActivTrak Groups',
      dntParent: '',
      deleteParent: 'ActivTrak Delete',
      intervalHours: '12',
      directoryId: 'not-a-directory',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'shh',
    })
    expect(created.status).toBe(400)
    expect(await created.text()).toContain('directory (tenant) id')
    const ok = await b.post('/console/integrations/new/entra-pull', {
      name: 'Contoso directory',
      groupsParent: 'ActivTrak Groups',
      dntParent: '',
      deleteParent: 'ActivTrak Delete',
      intervalHours: '12',
      directoryId: '11111111-1111-4111-8111-111111111111',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'shh',
    })
    expect(ok.status).toBe(303)
    const path = ok.headers.get('Location')?.split('?')[0] ?? ''
    const page = await (await b.get(path)).text()
    expect(page).toContain('value="ActivTrak Groups"')
    expect(page).toContain('value="12"')
    expect(page).not.toContain('shh')
    expect((await b.post(`${path}/sync`, {})).status).toBe(303)
    const progress = await (
      await b.get(`${path}/progress`)
    ).json<{
      finished: boolean
      total: number
    }>()
    expect(progress.total).toBeGreaterThan(0)
    expect(await (await b.get(path)).text()).toMatch(/Sync in progress|Succeeded|Failed/)
  })
})

describe('Console deletions', () => {
  it('Should list deletions with the "All" choice of the state filter', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'del1@acme.test' })
    const res = await b.get('/console/deletions?status=')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('verified within 12 hours')
    expect((await b.get('/console/deletions?status=gone')).status).toBe(400)
  })
})
