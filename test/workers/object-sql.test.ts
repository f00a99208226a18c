/**
 * What the tenant's object asks of SQLite, read from the SQL it sends during an Entra-shaped run
 * of SCIM writes in a tenant with agents and roles from groups (users created, patched, replaced,
 * deleted; a group created, its members added, removed and replaced, renamed, deleted), a first
 * pull sync, and an admin's role and Do Not Track changes:
 *
 * - No write rewrites a key. An UPDATE that names a key column in SET, even with the value it
 *   already has, makes SQLite check every row whose foreign key refers to it (each member of a
 *   group), so a member PATCH of a group of 20,000 would cost a thousand times one of 20.
 * - Every statement finds its rows by key: none walks a table or a whole tenant (EXPLAIN QUERY
 *   PLAN on the real schema). SQLite picks such a walk when it saves a sort (ORDER BY id, a
 *   UNION's merge) or when a list drives a join from the wrong side.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, it } from 'vitest'
import { tapTenantObject } from '../support/object-trips'
import { queryPlan, tableWalks } from '../support/query-plan'
import { ACTIVTRAK, adminJson, reportAgents } from '../support/directory'
import { createPullInstance, newDirectory, syncNow } from '../support/graph'
import { admin, createTenant, json, patchOp, scimClient } from '../support/scim'

/** Each table's columns that a key is made of: its primary key and any key another table refers to. */
async function keyColumns(): Promise<Map<string, Set<string>>> {
  const tables = await env.DB_US.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'd1_%'"
  ).all<{ name: string }>()
  const keys = new Map<string, Set<string>>()
  const add = (table: string, column: string) => {
    keys.set(table, (keys.get(table) ?? new Set()).add(column))
  }
  for (const { name } of tables.results) {
    const pk = await env.DB_US.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0')
      .bind(name)
      .all<{ name: string }>()
    for (const c of pk.results) add(name, c.name)
    const fks = await env.DB_US.prepare('SELECT "table", "to" FROM pragma_foreign_key_list(?)')
      .bind(name)
      .all<{ table: string; to: string }>()
    for (const fk of fks.results) add(fk.table, fk.to)
  }
  return keys
}

/**
 * Walks that are the point: the first member check in a small tenant loads every user id at
 * once (at most ALL_USER_IDS_MAX + 1, src/storage/repos/write-state.ts), and a role change reads
 * the tenant's roles (a few, made by its admins).
 */
const DELIBERATE_WALKS = [
  /^SELECT id FROM users WHERE tenant_id = \? LIMIT \?$/,
  /^select [^()]* from "roles" where "roles"\."tenant_id" = \? order by "roles"\."name_ci" asc$/,
]

/** The statements' own CTEs: the relink's links, the link context's agent identifiers. */
const DERIVED = ['v', 'reported']

/**
 * The plan lines of `statements` (by EXPLAIN QUERY PLAN on the real schema) that walk a stored
 * table or every row of a tenant, each with the start of its statement.
 */
async function walks(statements: readonly string[]): Promise<string[]> {
  const found: string[] = []
  for (const q of new Set(statements)) {
    if (DELIBERATE_WALKS.some((w) => w.test(q))) continue
    const params = Array.from({ length: (q.match(/\?/g) ?? []).length }, () => null)
    for (const line of tableWalks(await queryPlan({ sql: q, params }), DERIVED))
      found.push(`${line}  <-  ${q.slice(0, 80)}`)
  }
  return found
}

/** The table an UPDATE (or an upsert's DO UPDATE) writes, and the columns its SET names. */
function updatedColumns(sql: string): { table: string; columns: string[] } | undefined {
  const update = /^\s*update\s+"?(\w+)"?\s+set\s+(.*?)\s+where\b/is.exec(sql)
  const upsert =
    /^\s*insert\s+into\s+"?(\w+)"?.*\bdo\s+update\s+set\s+(.*?)(?:\s+where\b|$)/is.exec(sql)
  const m = update ?? upsert
  if (!m) return undefined
  const columns = [...(m[2] ?? '').matchAll(/(?:^|,)\s*"?(\w+)"?\s*=/g)].map((c) => c[1] ?? '')
  return { table: m[1] ?? '', columns }
}

describe('The SQL of the tenant object', () => {
  let sent: string[] = []

  beforeAll(async () => {
    // Groups as roles: every membership change recomputes its members' roles too.
    const tenant = await createTenant('us', 'Acme', { roleMode: 'groups-as-roles' })
    const trips = await tapTenantObject(tenant.id)
    const scim = scimClient(tenant)
    // Agents whose UPNs the users below take, so the user writes link them and unlink them.
    const agents = ['ada', 'bob', 'cy'].map((n) => ({
      id: `dev-${n}`,
      logonName: n,
      domain: 'CONTOSO',
      upn: `${n}@example.com`,
      lastSeen: '2026-11-30T10:00:00Z',
    }))
    const reported = await admin('POST', `/tenants/${tenant.id}/agents`, { agents })
    if (!reported.ok) throw new Error(`agents not reported: ${String(reported.status)}`)
    const [ada, bob, cy] = await Promise.all(
      ['ada', 'bob', 'cy'].map(async (n) =>
        json(await scim.post('/Users', { userName: `${n}@example.com`, active: true }))
      )
    )
    if (!ada || !bob || !cy) throw new Error('users not created')
    const answers: Response[] = []
    answers.push(
      await scim.patch(
        `/Users/${ada.id}`,
        patchOp(
          { op: 'Replace', path: 'displayName', value: 'Ada L.' },
          { op: 'Replace', path: 'active', value: 'False' }
        )
      ),
      await scim.put(`/Users/${bob.id}`, { userName: 'bobby@example.com', title: 'Engineer' }),
      // Do Not Track through the ActivTrak extension, on and off again; agents reported again.
      await scim.patch(
        `/Users/${ada.id}`,
        patchOp({ op: 'Add', path: `${ACTIVTRAK}:tracking`, value: 'False' })
      ),
      await scim.patch(
        `/Users/${ada.id}`,
        patchOp({ op: 'Replace', path: `${ACTIVTRAK}:tracking`, value: true })
      ),
      await admin('POST', `/tenants/${tenant.id}/agents`, { agents })
    )
    const group = await json(
      await scim.post('/Groups', { displayName: 'Engineering', members: [{ value: ada.id }] })
    )
    answers.push(
      await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'Add', path: 'members', value: [{ value: bob.id }, { value: cy.id }] })
      ),
      await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'Remove', path: `members[value eq "${bob.id}"]` })
      ),
      await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'Replace', path: 'displayName', value: 'Eng' })
      ),
      await scim.put(`/Groups/${group.id}`, { displayName: 'Eng', members: [{ value: cy.id }] }),
      await scim.del(`/Users/${cy.id}`),
      await scim.del(`/Groups/${group.id}`)
    )
    const failed = answers.filter((r) => !r.ok).map((r) => r.status)
    if (failed.length > 0) throw new Error(`writes failed: ${failed.join(', ')}`)
    sent = trips.sent
  }, 30_000)

  it('Should update users and groups in place, naming no key column in SET', async ({ expect }) => {
    const keys = await keyColumns()
    expect(keys.get('groups')).toEqual(new Set(['tenant_id', 'id']))
    const updates = sent.map(updatedColumns).filter((u) => u !== undefined)
    // The run did update both kinds of resource (else the check below would prove nothing).
    expect(updates.map((u) => u.table)).toEqual(expect.arrayContaining(['users', 'groups']))
    const rewritten = updates.flatMap((u) =>
      u.columns.filter((c) => keys.get(u.table)?.has(c)).map((c) => `${u.table}.${c}`)
    )
    expect(rewritten).toEqual([])
  })

  it('Should find what each write touches by key, never walking a table or a whole tenant', async ({
    expect,
  }) => {
    // The run did link agents, change roles and list a user as not tracked (else their
    // statements would go unchecked).
    expect(sent.some((q) => /^update agents\b|\bupdate agents set\b/i.test(q))).toBe(true)
    expect(sent.some((q) => /^update "users" set "role_id"/i.test(q))).toBe(true)
    expect(sent.some((q) => /^insert into "dnt_entries"/i.test(q))).toBe(true)
    expect(await walks(sent)).toEqual([])
  })
})

describe('The SQL of a pull sync', () => {
  it('Should find what the first run reads and writes by key', async ({ expect }) => {
    const tenant = await createTenant()
    const directory = await newDirectory()
    await reportAgents(tenant.id, [
      { id: 'adele-pc', upn: 'adelev@contoso.com' },
      { id: 'nestor-pc', employeeId: 'E1014' },
    ])
    const instanceId = await createPullInstance(tenant.id, directory)
    const trips = await tapTenantObject(tenant.id)
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(trips.sent.length).toBeGreaterThan(10)
    expect(await walks(trips.sent)).toEqual([])
  })
})

describe('The SQL of admin changes', () => {
  it('Should find what roles and Do Not Track changes touch by key', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'ada@example.com' }))
    const group = await json(
      await scim.post('/Groups', { displayName: 'Analysts', members: [{ value: user.id }] })
    )
    const trips = await tapTenantObject(tenant.id)
    const role = await adminJson<{ id: string }>(
      'POST',
      `/tenants/${tenant.id}/roles`,
      { name: 'Analyst' },
      201
    )
    const groupRole = `/tenants/${tenant.id}/groups/${group.id}/role`
    await adminJson('PUT', groupRole, { roleId: role.id })
    const entry = await adminJson<{ id: string }>(
      'POST',
      `/tenants/${tenant.id}/dnt`,
      { userId: user.id },
      201
    )
    expect((await admin('DELETE', `/tenants/${tenant.id}/dnt/${entry.id}`)).status).toBe(204)
    await adminJson('PUT', groupRole, { roleId: null })
    expect((await admin('DELETE', `/tenants/${tenant.id}/roles/${role.id}`)).status).toBe(204)
    // The group's role reached its member (else the recomputation went unchecked).
    expect(trips.sent.some((q) => /^update "users" set "role_id"/i.test(q))).toBe(true)
    expect(await walks(trips.sent)).toEqual([])
  })
})
