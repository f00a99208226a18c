/**
 * Provisioning history: every change is recorded with who made it (instance, key or operator),
 * the request id, and before/after values of scalar attributes; it is queryable per user and per
 * tenant with cursor paging, never holds a password, and is pruned by the cron after retention.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import {
  ACTIVTRAK,
  ENTERPRISE,
  adminJson,
  getAgent,
  reportAgents,
  runCron,
  userHistory,
  type HistoryEntry,
} from '../support/directory'
import { call, createTenant, json, patchOp, scimClient } from '../support/scim'

describe('Provisioning history', () => {
  it('Should record who changed what, with before and after values and the request id', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const { instance, key } = await adminJson<{
      instance: { id: string }
      key: { id: string; token: string }
    }>('POST', `/tenants/${tenant.id}/instances`, { name: 'Entra', kind: 'entra-scim' }, 201)
    const scim = scimClient({ id: tenant.id, token: key.token, keyId: key.id })
    const created = await scim.post('/Users', {
      userName: 'h@contoso.com',
      password: 'Secret#1',
      name: { givenName: 'Hal' },
      [ENTERPRISE]: { department: 'Sales' },
    })
    const user = await json(created)
    const res = await scim.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'Replace', path: 'name.givenName', value: 'Harold' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Support' },
        { op: 'Add', path: 'password', value: 'Other#2' }
      ),
      { 'X-Request-Id': 'req-history-0001' }
    )
    expect(res.status).toBe(200)
    const entries = await userHistory(tenant.id, user.id)
    const update = entries.find((e) => e.op === 'user.update')
    expect(update).toMatchObject({
      actor: 'scim',
      instanceId: instance.id,
      keyId: key.id,
      requestId: 'req-history-0001',
      resourceType: 'User',
      resourceId: user.id,
    })
    expect(update?.changes).toEqual([
      { attr: 'name.givenName', before: 'Hal', after: 'Harold' },
      { attr: `${ENTERPRISE}:department`, before: 'Sales', after: 'Support' },
    ])
    expect(entries.find((e) => e.op === 'user.create')?.requestId).toBe(
      created.headers.get('X-Request-Id')
    )
    const raw = await env.DB_US.prepare('SELECT changes FROM history WHERE tenant_id = ?')
      .bind(tenant.id)
      .all<{ changes: string }>()
    expect(JSON.stringify(raw.results)).not.toMatch(/Secret#1|Other#2|password/)
  })

  it('Should refuse a rename onto a taken userName with 409 and write none of its effects', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const ann = await json(await scim.post('/Users', { userName: 'ann@contoso.com' }))
    const bob = await json(await scim.post('/Users', { userName: 'bob@contoso.com' }))
    await reportAgents(tenant.id, [{ id: 'ann-pc', upn: 'ann@contoso.com' }])
    const before = await env.DB_US.prepare('SELECT count(*) AS n FROM history WHERE tenant_id = ?')
      .bind(tenant.id)
      .first()
    const clash = await scim.patch(
      `/Users/${bob.id}`,
      patchOp(
        { op: 'Replace', path: 'userName', value: 'ANN@contoso.com' },
        { op: 'Add', path: `${ACTIVTRAK}:tracking`, value: 'False' }
      )
    )
    expect(clash.status).toBe(409)
    expect(await clash.json()).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
      detail: 'A user with userName "ANN@contoso.com" already exists',
    })
    expect(await json(await scim.get(`/Users/${bob.id}`))).toMatchObject({
      userName: 'bob@contoso.com',
      meta: { version: 'W/"1"' },
    })
    expect(await getAgent(tenant.id, 'ann-pc')).toMatchObject({ userId: ann.id })
    expect(
      (await adminJson<{ entries: unknown[] }>('GET', `/tenants/${tenant.id}/dnt`)).entries
    ).toEqual([])
    const after = await env.DB_US.prepare('SELECT count(*) AS n FROM history WHERE tenant_id = ?')
      .bind(tenant.id)
      .first()
    expect(after).toEqual(before)
  })

  it('Should record membership changes in the group’s and the user’s history', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const u = await json(await scim.post('/Users', { userName: 'm@contoso.com' }))
    const g = await json(await scim.post('/Groups', { displayName: 'G' }))
    await scim.patch(
      `/Groups/${g.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: u.id }] })
    )
    await scim.patch(
      `/Groups/${g.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'G2' })
    )
    await scim.patch(
      `/Groups/${g.id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ value: u.id }] })
    )
    expect((await userHistory(tenant.id, u.id)).map((e) => [e.op, e.resourceId])).toEqual([
      ['membership.remove', g.id],
      ['membership.add', g.id],
      ['user.create', u.id],
    ])
    const all = (
      await adminJson<{ entries: HistoryEntry[] }>('GET', `/tenants/${tenant.id}/history`)
    ).entries
    expect(all.find((e) => e.op === 'group.update')?.changes).toEqual([
      { attr: 'displayName', before: 'G', after: 'G2' },
    ])
  })

  it('Should page the tenant history newest first with a cursor, without gaps or repeats', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    for (let i = 0; i < 7; i++) await scim.post('/Users', { userName: `p${String(i)}@contoso.com` })
    const seen: string[] = []
    let cursor: string | null = null
    for (let guard = 0; guard < 10; guard++) {
      const q: string = cursor ? `&cursor=${cursor}` : ''
      const page: { entries: HistoryEntry[]; nextCursor: string | null } = await adminJson(
        'GET',
        `/tenants/${tenant.id}/history?limit=3${q}`
      )
      seen.push(
        ...page.entries
          .filter((e) => e.resourceType === 'User')
          .map((e) => e.changes.find((c) => c.attr === 'userName')?.after as string)
      )
      cursor = page.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0'].map((p) => `${p}@contoso.com`))
  })

  it('Should prune entries older than the retention on the cron', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    await scim.post('/Users', { userName: 'old@contoso.com' })
    const entries = async () =>
      (await adminJson<{ entries: HistoryEntry[] }>('GET', `/tenants/${tenant.id}/history`)).entries
    const kept = await entries()
    expect(kept.map((e) => e.op)).toContain('user.create')
    await runCron(new Date(Date.now() + 399 * 86_400_000))
    expect(await entries()).toEqual(kept)
    await runCron(new Date(Date.now() + 401 * 86_400_000))
    expect(await entries()).toHaveLength(0)
    expect(
      (await call(`/scim/v2/Users`, { headers: { Authorization: `Bearer ${tenant.token}` } }))
        .status
    ).toBe(200)
  })
})
