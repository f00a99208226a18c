/**
 * Offboarding a tenant through the admin API: the confirmation, keys refused at once, writes
 * refused meanwhile, progress shown, bounded erase steps on the tenant's Durable Object alarm
 * (run one by one here), every table of the region empty for the tenant afterwards, its
 * object's own storage empty, and its neighbours untouched.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it, vi, type ExpectStatic } from 'vitest'
import { adminJson, reportAgents } from '../support/directory'
import { createPullInstance, newDirectory, syncNow } from '../support/graph'
import { admin, call, createTenant, json, scimClient, type TestTenant } from '../support/scim'

/** vitest.config.ts sets OFFBOARD_ROWS_PER_STEP to this (and the steps 10 minutes apart). */
const ROWS_PER_STEP = 40

interface Progress {
  steps: number
  erasing: string | null
  erased: Record<string, number>
  erasedAt: string | null
}

interface TenantView {
  id: string
  status: string
  offboarding: Progress | null
}

/** Every table of a regional database that holds tenants' rows, read from the database itself. */
async function tenantTables(db: D1Database): Promise<string[]> {
  const tables = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name"
    )
    .all<{ name: string }>()
  const out: string[] = []
  for (const { name } of tables.results) {
    const columns = await db.prepare(`PRAGMA table_info(${name})`).all<{ name: string }>()
    if (columns.results.some((c) => c.name === 'tenant_id')) out.push(name)
  }
  return out
}

/** Rows of a tenant in every table of its region, and its tenant row. */
async function rowCounts(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of await tenantTables(db)) {
    const row = await db
      .prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
      .bind(tenantId)
      .first<{ n: number }>()
    counts[table] = row?.n ?? -1
  }
  const tenant = await db
    .prepare('SELECT count(*) AS n FROM tenants WHERE id = ?')
    .bind(tenantId)
    .first<{ n: number }>()
  counts.tenants = tenant?.n ?? -1
  return counts
}

/** The console has no API yet: its rows are written as the console will write them. */
async function consoleRows(tenantId: string): Promise<void> {
  const now = new Date().toISOString()
  await env.DB_US.batch([
    env.DB_US.prepare(
      "INSERT INTO tenant_admins (tenant_id, id, email, email_ci, name, role, created_at, updated_at) VALUES (?, 'adm1', ?, ?, 'Owner', 'owner', ?, ?)"
    ).bind(tenantId, `owner@${tenantId}.test`, `owner@${tenantId}.test`, now, now),
    env.DB_US.prepare(
      "INSERT INTO admin_invitations (tenant_id, id, admin_id, token_hash, created_at, expires_at) VALUES (?, 'inv1', 'adm1', 'hash-inv', ?, ?)"
    ).bind(tenantId, now, now),
    env.DB_US.prepare(
      "INSERT INTO admin_sessions (tenant_id, id_hash, admin_id, created_at, last_seen_at, expires_at) VALUES (?, 'hash-session', 'adm1', ?, ?, ?)"
    ).bind(tenantId, now, now, now),
  ])
}

/** A tenant with rows in every table and a pull sync run in its object's storage. */
async function populatedTenant(name: string, expect: ExpectStatic) {
  const tenant = await createTenant('us', name)
  const scim = scimClient(tenant)
  const users = []
  for (let i = 0; i < 12; i++)
    users.push(
      await json(
        await scim.post('/Users', {
          userName: `u${String(i)}@${name}.com`,
          emails: [{ value: `u${String(i)}@${name}.com`, type: 'work' }],
        })
      )
    )
  await scim.post('/Groups', { displayName: 'All', members: users.map((u) => ({ value: u.id })) })
  await reportAgents(tenant.id, [
    ...users.map((_, i) => ({ id: `pc-${String(i)}`, upn: `u${String(i)}@${name}.com` })),
    { id: 'laptop-2', upn: `u2@${name}.com` },
  ])
  await adminJson(
    'POST',
    `/tenants/${tenant.id}/agents/merge`,
    { into: 'pc-2', agentIds: ['laptop-2'] },
    201
  )
  await scim.del(`/Users/${users[0]?.id ?? ''}`)
  await adminJson('POST', `/tenants/${tenant.id}/roles`, { name: 'Editors' }, 201)
  const agentKey = await adminJson<{ token: string }>(
    'POST',
    `/tenants/${tenant.id}/keys`,
    { name: 'agents', scope: 'agent' },
    201
  )
  const instance = await adminJson<{ key: { token: string } }>(
    'POST',
    `/tenants/${tenant.id}/instances`,
    { name: 'Okta', kind: 'okta-scim' },
    201
  )
  const pullId = await createPullInstance(tenant.id, await newDirectory())
  // A finished run leaves its report and links in the object's storage, and no alarm pending.
  expect((await syncNow(tenant.id, pullId)).status).toBe('succeeded')
  await consoleRows(tenant.id)
  return {
    tenant,
    agentToken: agentKey.token,
    instanceToken: instance.key.token,
    userId: users[1]?.id,
  }
}

const stubOf = (tenantId: string) => env.TENANT_WRITER.getByName(tenantId)
const scimStatus = async (token: string) =>
  (await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })).status

/** What the tenant's object holds in its own storage: keys, SQL tables and the alarm. */
const objectStorage = (tenantId: string) =>
  runInDurableObject(stubOf(tenantId), async (_, state) => ({
    keys: [...(await state.storage.list()).keys()],
    tables: state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'"
      )
      .toArray()
      .map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }))

const total = (p: Progress) => Object.values(p.erased).reduce((a, b) => a + b, 0)
const EMPTY: Progress = { steps: 0, erasing: null, erased: {}, erasedAt: null }

describe('Tenant offboarding', () => {
  it('Should refuse without the exact confirmation and say what to send', async ({ expect }) => {
    const tenant: TestTenant = await createTenant('us', 'Careful')
    for (const query of ['', '?confirm=yes', `?confirm=${tenant.id.toUpperCase()}`]) {
      const res = await admin('DELETE', `/tenants/${tenant.id}${query}`)
      expect(res.status).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message).toBe(
        `Offboarding erases tenant "${tenant.id}" (Careful) and all its data for good; to confirm, send DELETE /admin/v1/tenants/${tenant.id}?confirm=${tenant.id}`
      )
    }
    expect(await adminJson<TenantView>('GET', `/tenants/${tenant.id}`)).toMatchObject({
      status: 'active',
      offboarding: null,
    })
    expect(await scimStatus(tenant.token)).toBe(200)
    expect((await admin('DELETE', '/tenants/us_0000000000000000?confirm=x')).status).toBe(404)
  })

  it('Should revoke keys at once, erase every row in bounded steps, empty its object and spare its neighbour', async ({
    expect,
  }) => {
    const a = await populatedTenant('gone', expect)
    const b = await populatedTenant('stays', expect)
    const before = await rowCounts(env.DB_US, a.tenant.id)
    const empty = Object.fromEntries(Object.keys(before).map((t) => [t, 0]))
    for (const [table, n] of Object.entries(before)) expect([table, n > 0]).toEqual([table, true])
    const neighbour = await rowCounts(env.DB_US, b.tenant.id)
    expect((await objectStorage(a.tenant.id)).tables).toContain('sync_runs')
    const log = vi.spyOn(console, 'log')

    const started = await adminJson<TenantView>(
      'DELETE',
      `/tenants/${a.tenant.id}?confirm=${a.tenant.id}`,
      undefined,
      202
    )
    expect(started).toMatchObject({ id: a.tenant.id, status: 'offboarding' })

    // Before any alarm step: every key is refused, and so is every write and the export.
    for (const token of [a.tenant.token, a.instanceToken]) {
      const res = await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })
      expect(res.status).toBe(401)
      expect((await res.json<{ detail: string }>()).detail).toBe(
        'The tenant of this key is being offboarded; its keys no longer work'
      )
    }
    const agentCall = await call('/agent/v1/agents', {
      headers: { Authorization: `Bearer ${a.agentToken}` },
    })
    expect(agentCall.status).toBe(401)
    const write = await admin('POST', `/tenants/${a.tenant.id}/dnt`, { userId: a.userId })
    expect(write.status).toBe(409)
    expect(await write.json()).toEqual({
      error: {
        status: 409,
        message: `Tenant "${a.tenant.id}" is being offboarded: its data is being erased and it accepts no changes`,
      },
    })
    expect((await admin('GET', `/tenants/${a.tenant.id}/export`)).status).toBe(409)

    // Step by step: GET shows how far it got; a step erases at most ROWS_PER_STEP rows.
    const stub = stubOf(a.tenant.id)
    let last = started.offboarding
    let steps = 0
    for (; steps < 200; steps++) {
      expect(await runDurableObjectAlarm(stub)).toBe(true)
      const view = await admin('GET', `/tenants/${a.tenant.id}`)
      if (view.status === 404) break
      const { status, offboarding } = await view.json<TenantView>()
      expect(status).toBe('offboarding')
      expect(offboarding?.steps).toBe(steps + 1)
      const erasedNow = total(offboarding ?? EMPTY) - total(last ?? EMPTY)
      expect(erasedNow).toBeGreaterThanOrEqual(0)
      expect(erasedNow).toBeLessThanOrEqual(ROWS_PER_STEP)
      last = offboarding
    }
    const erased = total(last ?? EMPTY)
    const rows = Object.entries(before).reduce((n, [t, c]) => (t === 'tenants' ? n : n + c), 0)
    expect(erased).toBe(rows)
    // The last step removes the tenant row alone, after the one that found every table empty.
    expect(steps).toBeGreaterThanOrEqual(Math.ceil(rows / ROWS_PER_STEP))
    expect(last?.erasedAt).not.toBeNull()

    expect(await rowCounts(env.DB_US, a.tenant.id)).toEqual(empty)
    expect(await objectStorage(a.tenant.id)).toEqual({ keys: [], tables: [], alarm: null })
    expect(await runDurableObjectAlarm(stub)).toBe(false)
    expect((await admin('GET', `/tenants/${a.tenant.id}`)).status).toBe(404)
    const done = log.mock.calls
      .map(([line]) => (typeof line === 'string' ? line : ''))
      .filter((line) => line.includes('"tenant.offboarded"'))
      .map((line) => JSON.parse(line) as { tenantId: string; erased: Record<string, number> })
    expect(done).toEqual([expect.objectContaining({ tenantId: a.tenant.id })])
    expect(Object.values(done[0]?.erased ?? {}).reduce((x, y) => x + y, 0)).toBe(rows)

    expect(await rowCounts(env.DB_US, b.tenant.id)).toEqual(neighbour)
    expect(await scimStatus(b.tenant.token)).toBe(200)
    expect((await objectStorage(b.tenant.id)).tables).toContain('sync_runs')
  }, 120_000)

  it('Should answer a second request with the progress under way', async ({ expect }) => {
    const tenant = await createTenant('eu', 'Twice')
    const first = await adminJson<TenantView>(
      'DELETE',
      `/tenants/${tenant.id}?confirm=${tenant.id}`,
      undefined,
      202
    )
    const again = await adminJson<TenantView>(
      'DELETE',
      `/tenants/${tenant.id}?confirm=${tenant.id}`,
      undefined,
      202
    )
    expect(again).toEqual(first)
    const stub = stubOf(tenant.id)
    while (await runDurableObjectAlarm(stub));
    expect((await admin('GET', `/tenants/${tenant.id}`)).status).toBe(404)
    expect(await rowCounts(env.DB_EU, tenant.id)).toMatchObject({ tenants: 0, scim_keys: 0 })
  })
})
