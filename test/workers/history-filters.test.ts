/**
 * History queries: by user, group, op or op family, actor kind, console admin, instance and time
 * range, combined freely, newest first and cursor-paged; and the export iterator over them.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, it } from 'vitest'
import { regionDb } from '../../src/storage/db'
import { historyRows } from '../../src/storage/repos/history-query'
import { adminJson, reportAgents, type HistoryEntry } from '../support/directory'
import { createTenant, json, patchOp, scimClient, type TestTenant } from '../support/scim'

interface Entry extends HistoryEntry {
  actorId: string | null
}
interface HistoryPage {
  entries: Entry[]
  nextCursor: string | null
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('History queries', () => {
  let tenant: TestTenant
  let instanceId = ''
  const ids: Record<string, string> = {}
  /** When the changes under test started (after the tenant's own setup), and their second batch. */
  let startAt = ''
  let lateAt = ''

  const history = (query: string) =>
    adminJson<HistoryPage>('GET', `/tenants/${tenant.id}/history?limit=1000&${query}`)
  /** The ops of the entries the test made, leaving out the tenant's and instance's creation. */
  const ops = async (query: string) =>
    (await history(`from=${startAt}&${query}`)).entries.map((e) => e.op)

  beforeAll(async () => {
    tenant = await createTenant()
    const created = await adminJson<{
      instance: { id: string }
      key: { id: string; token: string }
    }>('POST', `/tenants/${tenant.id}/instances`, { name: 'Entra', kind: 'entra-scim' }, 201)
    instanceId = created.instance.id
    const scim = scimClient({ id: tenant.id, token: created.key.token, keyId: created.key.id })
    const user = async (userName: string) =>
      (await json(await scim.post('/Users', { userName }))).id
    await sleep(20)
    ids.ann = await user('ann@contoso.com')
    startAt = (await history(`userId=${ids.ann}`)).entries[0]?.at ?? 'missing'
    ids.bob = await user('bob@contoso.com')
    ids.g1 = (
      await json(await scim.post('/Groups', { displayName: 'G1', members: [{ value: ids.ann }] }))
    ).id
    ids.g2 = (await json(await scim.post('/Groups', { displayName: 'G2' }))).id
    await scim.patch(
      `/Groups/${ids.g1}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: ids.bob }] })
    )
    await scim.patch(
      `/Users/${ids.ann}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Ann' })
    )
    const role = await adminJson<{ id: string }>(
      'POST',
      `/tenants/${tenant.id}/roles`,
      { name: 'Admin' },
      201
    )
    await adminJson('PUT', `/tenants/${tenant.id}/groups/${ids.g1}/role`, { roleId: role.id })
    await adminJson('POST', `/tenants/${tenant.id}/dnt`, { userId: ids.bob }, 201)
    // A console admin's change, through the tenant's Durable Object as the console makes it.
    const outcome = await env.TENANT_WRITER.getByName(tenant.id).createRole(
      {
        tenantId: tenant.id,
        requestId: 'console-request',
        actor: {
          kind: 'admin',
          adminId: 'admin-7',
          name: 'it@contoso.com',
          instanceId: null,
          keyId: null,
        },
      },
      'Auditor'
    )
    if (!outcome.ok) throw new Error(outcome.detail)
    await sleep(20)
    ids.late = await user('late@contoso.com')
    await reportAgents(tenant.id, [{ id: 'late-pc', upn: 'late@contoso.com' }])
    lateAt = (await history(`userId=${ids.late}&op=user.create`)).entries[0]?.at ?? 'missing'
  })

  it('Should filter by user and by group, membership changes included', async ({ expect }) => {
    const ann = (await history(`userId=${ids.ann ?? ''}`)).entries
    expect(ann.every((e) => e.userId === ids.ann)).toBe(true)
    expect(ann.map((e) => e.op)).toEqual([
      'role.change',
      'user.update',
      'membership.add',
      'user.create',
    ])
    const g1 = (await history(`groupId=${ids.g1 ?? ''}`)).entries
    expect(g1.map((e) => [e.op, e.resourceId, e.userId])).toEqual([
      ['group.role', ids.g1, null],
      ['membership.add', ids.g1, ids.bob],
      ['membership.add', ids.g1, ids.ann],
      ['group.create', ids.g1, null],
    ])
  })

  it.for<[string, string[]]>([
    ['op=user.create', ['user.create', 'user.create', 'user.create']],
    ['op=user.', ['user.create', 'user.update', 'user.create', 'user.create']],
    ['op=role.', ['role.create', 'role.change', 'role.change', 'role.create']],
    ['op=dnt.', ['dnt.add']],
    ['op=nothing.', []],
    ['actor=operator&op=role.', ['role.change', 'role.change', 'role.create']],
    ['actor=agent', []],
    ['actorId=admin-7', ['role.create']],
    ['actor=admin', ['role.create']],
    ['actor=scim&actorId=admin-7', []],
  ])('Should filter %s', async ([query, expected], { expect }) => {
    expect(await ops(query)).toEqual(expected)
  })

  it('Should filter by actor kind and instance, alone or combined', async ({ expect }) => {
    expect(await ops('actor=operator')).toEqual([
      'agent.link',
      'dnt.add',
      'role.change',
      'role.change',
      'group.role',
      'role.create',
    ])
    const viaInstance = (await history(`from=${startAt}&instanceId=${instanceId}`)).entries
    expect(viaInstance.length).toBe(8)
    expect(viaInstance.every((e) => e.actor === 'scim' && e.instanceId === instanceId)).toBe(true)
    expect(await ops(`instanceId=${instanceId}&groupId=${ids.g1 ?? ''}&op=membership.`)).toEqual([
      'membership.add',
      'membership.add',
    ])
    const admin = (await history('actorId=admin-7')).entries[0]
    expect(admin).toMatchObject({
      actor: 'admin',
      actorId: 'admin-7',
      requestId: 'console-request',
    })
  })

  it('Should filter by a time range, from inclusive and to exclusive', async ({ expect }) => {
    const all = (await history('')).entries
    const late = all.filter((e) => e.at >= lateAt)
    expect(late.map((e) => e.op)).toEqual(['agent.link', 'user.create'])
    expect((await history(`from=${lateAt}`)).entries).toEqual(late)
    expect((await history(`to=${lateAt}`)).entries).toEqual(all.filter((e) => e.at < lateAt))
    const early = all.at(-1)?.at ?? ''
    expect((await history(`from=${early}&to=${lateAt}&op=user.`)).entries.map((e) => e.op)).toEqual(
      ['user.update', 'user.create', 'user.create']
    )
  })

  it('Should page a filtered history newest first without gaps or repeats', async ({ expect }) => {
    const all = (await history('op=user.')).entries.map((e) => e.id)
    const seen: string[] = []
    let cursor: string | null = ''
    for (let guard = 0; cursor !== null && guard < 10; guard++) {
      const page: HistoryPage = await adminJson(
        'GET',
        `/tenants/${tenant.id}/history?op=user.&limit=3${cursor ? `&cursor=${cursor}` : ''}`
      )
      seen.push(...page.entries.map((e) => e.id))
      cursor = page.nextCursor
    }
    expect(seen).toEqual(all)
    expect(all).toEqual([...all].sort().reverse())
  })

  it('Should stream every matching entry in pages for an export', async ({ expect }) => {
    const exported: string[] = []
    for await (const row of historyRows(regionDb(env, 'us'), tenant.id, { actor: 'scim' }, 2))
      exported.push(row.id)
    expect(exported).toEqual((await history('actor=scim')).entries.map((e) => e.id))
    expect(exported.length).toBe(8)
  })

  it.for<[string, string]>([
    ['actor=robot', 'Invalid query: actor:'],
    [
      'from=yesterday',
      'Invalid query: from: must be an ISO date-time such as 2026-01-31T00:00:00Z',
    ],
    [
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'Invalid query: "from" must be before "to"',
    ],
    [
      'op=user',
      'Invalid query: op: must be an op such as user.update, or a family ending with a dot such as user.',
    ],
  ])('Should answer 400 for %s', async ([query, message], { expect }) => {
    const res = await adminJson<{ error: { message: string } }>(
      'GET',
      `/tenants/${tenant.id}/history?${query}`,
      undefined,
      400
    )
    expect(res.error.message).toContain(message)
  })
})
