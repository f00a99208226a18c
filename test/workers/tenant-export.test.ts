/**
 * A tenant's export through the admin API: NDJSON, one typed line per row, in section order,
 * SCIM documents with id and meta, complete beyond one page, never a secret and never a row of
 * another tenant.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, reportAgents } from '../support/directory'
import { admin, createTenant, json, scimClient, type TestTenant } from '../support/scim'

interface Line {
  type: string
  data: Record<string, unknown>
  counts?: Record<string, number>
  [key: string]: unknown
}

const SECTIONS = ['user', 'group', 'agent', 'dnt', 'deletion', 'role', 'instance', 'key', 'history']

async function exportOf(tenantId: string): Promise<{ res: Response; text: string; lines: Line[] }> {
  const res = await admin('GET', `/tenants/${tenantId}/export`)
  const text = await res.text()
  const lines = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line)
  return { res, text, lines }
}

const ofType = (lines: Line[], type: string) => lines.filter((l) => l.type === type)
const ids = (lines: Line[], type: string) => ofType(lines, type).map((l) => String(l.data.id))

/** A tenant with a row in every section: users, a group, an agent, DNT, a deletion, a role… */
async function richTenant(prefix: string) {
  const tenant = await createTenant('us', `${prefix} Corp`)
  const scim = scimClient(tenant)
  const ada = await json(
    await scim.post('/Users', {
      userName: `ada@${prefix}.com`,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: `ada@${prefix}.com`, type: 'work', primary: true }],
    })
  )
  const bob = await json(await scim.post('/Users', { userName: `bob@${prefix}.com` }))
  const carl = await json(await scim.post('/Users', { userName: `carl@${prefix}.com` }))
  const group = await json(
    await scim.post('/Groups', {
      displayName: 'Ops',
      members: [{ value: ada.id }, { value: bob.id }],
    })
  )
  await reportAgents(tenant.id, [
    { id: 'pc-1', logonName: `${prefix}-ada`, upn: `ada@${prefix}.com` },
  ])
  await adminJson('POST', `/tenants/${tenant.id}/dnt`, { userId: bob.id }, 201)
  await scim.del(`/Users/${carl.id}`)
  const role = await adminJson<{ id: string }>(
    'POST',
    `/tenants/${tenant.id}/roles`,
    { name: 'Editors' },
    201
  )
  const pull = await adminJson<{ instance: { id: string } }>(
    'POST',
    `/tenants/${tenant.id}/instances`,
    {
      name: 'Entra pull',
      kind: 'entra-pull',
      directoryId: '11111111-2222-4333-8444-555555555555',
      clientId: '66666666-7777-4888-8999-000000000000',
      clientSecret: 'pull-client-secret-value',
      groupsParent: 'ActivTrak Groups',
    },
    201
  )
  return { tenant, ada, bob, carl, group, roleId: role.id, pullId: pull.instance.id }
}

/** Whatever D1 holds as secrets for a tenant: key hashes and sealed instance secrets. */
async function storedSecrets(tenant: TestTenant): Promise<string[]> {
  const keys = await env.DB_US.prepare('SELECT secret_hash AS s FROM scim_keys WHERE tenant_id = ?')
    .bind(tenant.id)
    .all<{ s: string }>()
  const sealed = await env.DB_US.prepare(
    'SELECT secret_ciphertext AS s FROM instances WHERE tenant_id = ? AND secret_ciphertext IS NOT NULL'
  )
    .bind(tenant.id)
    .all<{ s: string }>()
  return [...keys.results, ...sealed.results].map((r) => r.s)
}

describe('Tenant export', () => {
  it('Should stream every section as NDJSON, in order, with SCIM documents and no secret', async ({
    expect,
  }) => {
    const t = await richTenant('acme')
    const { res, text, lines } = await exportOf(t.tenant.id)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-ndjson')
    expect(text.endsWith('\n')).toBe(true)

    const types = lines.map((l) => l.type)
    expect(types[0]).toBe('tenant')
    expect(types.at(-1)).toBe('end')
    const body = types.slice(1, -1)
    const rank = (type: string) => SECTIONS.indexOf(type)
    expect(body.every((type) => rank(type) >= 0)).toBe(true)
    expect(body).toEqual([...body].sort((a, b) => rank(a) - rank(b)))
    expect(new Set(body)).toEqual(new Set(SECTIONS))

    expect(lines[0]?.data).toMatchObject({ id: t.tenant.id, name: 'acme Corp', region: 'us' })
    const ada = ofType(lines, 'user').find((l) => l.data.id === t.ada.id)
    expect(ada?.data).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: t.ada.id,
      userName: 'ada@acme.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@acme.com', type: 'work', primary: true }],
      meta: {
        resourceType: 'User',
        version: 'W/"1"',
        location: `https://scim.test/scim/v2/Users/${t.ada.id}`,
      },
    })
    expect(ids(lines, 'user').sort()).toEqual([t.ada.id, t.bob.id].sort())
    expect(ofType(lines, 'group')[0]?.data).toMatchObject({
      id: t.group.id,
      displayName: 'Ops',
      meta: { resourceType: 'Group', location: `https://scim.test/scim/v2/Groups/${t.group.id}` },
    })
    const members = ofType(lines, 'group')[0]?.data.members as { value: string }[]
    expect(members.map((m) => m.value).sort()).toEqual([t.ada.id, t.bob.id].sort())
    expect(ofType(lines, 'agent')[0]?.data).toMatchObject({
      id: 'pc-1',
      userId: t.ada.id,
      linkRule: 'upn',
    })
    expect(ofType(lines, 'dnt').map((l) => l.data.userId)).toEqual(
      expect.arrayContaining([t.bob.id, t.carl.id])
    )
    expect(ofType(lines, 'deletion')[0]?.data).toMatchObject({
      userId: t.carl.id,
      status: 'pending',
      identifiers: { userName: 'carl@acme.com' },
    })
    expect(ofType(lines, 'role').find((l) => l.data.id === t.roleId)?.data).toEqual({
      id: t.roleId,
      name: 'Editors',
      createdAt: expect.any(String) as unknown,
    })
    expect(ofType(lines, 'instance')[0]?.data).toMatchObject({
      id: t.pullId,
      kind: 'entra-pull',
      settings: { groupsParent: 'ActivTrak Groups', clientSecretSet: true },
    })
    expect(ids(lines, 'key')).toEqual([t.tenant.keyId])
    const history = ofType(lines, 'history')
    expect(history.map((l) => l.data.op)).toEqual(
      expect.arrayContaining(['user.create', 'group.create', 'agent.link', 'deletion.request'])
    )
    expect(ids(lines, 'history')).toEqual([...ids(lines, 'history')].sort())

    const counts = Object.fromEntries(SECTIONS.map((s) => [s, ofType(lines, s).length]))
    expect(lines.at(-1)?.counts).toEqual(counts)

    const secrets = await storedSecrets(t.tenant)
    expect(secrets.length).toBeGreaterThan(1)
    for (const secret of [...secrets, 'pull-client-secret-value', t.tenant.token])
      expect(text).not.toContain(secret)
    expect(text).not.toMatch(/secretHash|secretCiphertext|secret_hash/)
  })

  it('Should export a tenant larger than one page completely, each row once', async ({
    expect,
  }) => {
    const tenant = await createTenant('us', 'Big')
    const scim = scimClient(tenant)
    const users: string[] = []
    for (let i = 0; i < 210; i += 30) {
      const batch = Array.from({ length: Math.min(30, 210 - i) }, (_, k) =>
        scim.post('/Users', { userName: `u${String(i + k)}@big.com` }).then(json)
      )
      users.push(...(await Promise.all(batch)).map((u) => u.id))
    }
    const groups: string[] = []
    for (let i = 0; i < 205; i += 30) {
      const batch = Array.from({ length: Math.min(30, 205 - i) }, (_, k) =>
        scim
          .post('/Groups', { displayName: `G${String(i + k)}`, members: [{ value: users[i + k] }] })
          .then(json)
      )
      groups.push(...(await Promise.all(batch)).map((g) => g.id))
    }
    // Every agent links to u0 by UPN: 1,200 agents and 1,200 agent.link history entries.
    for (const start of [0, 600])
      await reportAgents(
        tenant.id,
        Array.from({ length: 600 }, (_, k) => ({
          id: `pc-${String(start + k).padStart(4, '0')}`,
          upn: 'u0@big.com',
        }))
      )

    const { lines } = await exportOf(tenant.id)
    expect(ids(lines, 'user').sort()).toEqual([...users].sort())
    expect(ids(lines, 'group').sort()).toEqual([...groups].sort())
    const agentIds = ids(lines, 'agent')
    expect(agentIds).toHaveLength(1200)
    expect(new Set(agentIds).size).toBe(1200)
    expect(agentIds).toEqual([...agentIds].sort())
    const history = ids(lines, 'history')
    expect(new Set(history).size).toBe(history.length)
    expect(history.length).toBeGreaterThanOrEqual(210 + 205 + 1200)
    expect(lines.at(-1)).toMatchObject({
      type: 'end',
      counts: { user: 210, group: 205, agent: 1200, history: history.length },
    })
    const g = ofType(lines, 'group').find((l) => l.data.displayName === 'G204')
    expect(g?.data.members).toEqual([{ value: users[204], display: 'u204@big.com' }])
  }, 180_000)

  it("Should never carry another tenant's rows, even with the same agent ids and userNames", async ({
    expect,
  }) => {
    const a = await richTenant('same')
    const b = await richTenant('same')
    const { lines, text } = await exportOf(a.tenant.id)
    expect(text).not.toContain(b.tenant.id)
    for (const id of [
      b.ada.id,
      b.bob.id,
      b.carl.id,
      b.group.id,
      b.roleId,
      b.pullId,
      b.tenant.keyId,
    ])
      expect(text).not.toContain(id)
    expect(ids(lines, 'agent')).toEqual(['pc-1'])
    expect(ofType(lines, 'agent')[0]?.data.userId).toBe(a.ada.id)
    const bHistory = await adminJson<{ entries: { id: string }[] }>(
      'GET',
      `/tenants/${b.tenant.id}/history?limit=1000`
    )
    expect(bHistory.entries.length).toBeGreaterThan(0)
    for (const e of bHistory.entries) expect(text).not.toContain(e.id)
  })

  it('Should answer 404 for an unknown tenant', async ({ expect }) => {
    const res = await admin('GET', '/tenants/us_0000000000000000/export')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: { status: 404, message: 'Tenant "us_0000000000000000" not found' },
    })
  })
})
