/**
 * Agents and their links to users: each identifier links (UPN through the activtrak extension or
 * userName, work email, employeeNumber), in that precedence, case-insensitively; links follow
 * changes on either side; each agent of a member user counts as a group member.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { regionDb } from '../../src/storage/db'
import { agentListQuery } from '../../src/storage/repos/agent-views'
import {
  ACTIVTRAK,
  ENTERPRISE,
  adminJson,
  drainAlarms,
  getAgent,
  reportAgents,
} from '../support/directory'
import {
  admin,
  call,
  createTenant,
  json,
  patchOp,
  scimClient,
  type ScimClient,
  type TestTenant,
} from '../support/scim'

async function setup(): Promise<{ tenant: TestTenant; scim: ScimClient }> {
  const tenant = await createTenant()
  return { tenant, scim: scimClient(tenant) }
}

async function createUser(scim: ScimClient, body: Record<string, unknown>): Promise<string> {
  const res = await scim.post('/Users', body)
  if (res.status !== 201) throw new Error(`create user: ${String(res.status)} ${await res.text()}`)
  return (await json(res)).id
}

describe('Agent linking', () => {
  it.for([
    [
      'the activtrak userPrincipalNames',
      { userName: 'ann', [ACTIVTRAK]: { userPrincipalNames: [{ value: 'Ann@Contoso.com' }] } },
      { upn: 'ann@CONTOSO.com' },
      'upn',
    ],
    ['userName as UPN', { userName: 'Bob@Contoso.com' }, { upn: 'bob@contoso.COM' }, 'upn'],
    [
      'a work email',
      { userName: 'carol', emails: [{ value: 'Carol@Contoso.com', type: 'work' }] },
      { email: 'carol@contoso.com' },
      'email',
    ],
    [
      'employeeNumber',
      { userName: 'dave', [ENTERPRISE]: { employeeNumber: 'E-42' } },
      { employeeId: 'e-42' },
      'employeeNumber',
    ],
  ] as const)(
    'Should link an agent by %s, case-insensitively',
    async ([, user, agent, rule], { expect }) => {
      const { tenant, scim } = await setup()
      const userId = await createUser(scim, user)
      const result = await reportAgents(tenant.id, [{ id: 'dev-1', ...agent }])
      expect(result).toMatchObject({
        received: 1,
        created: 1,
        linked: 1,
        unlinked: 0,
        linkChanges: 1,
      })
      expect(await getAgent(tenant.id, 'dev-1')).toMatchObject({
        userId,
        linkRule: rule,
        state: 'active',
        doNotTrack: false,
      })
    }
  )

  it('Should prefer UPN over email over employeeNumber when they point at different users', async ({
    expect,
  }) => {
    const { tenant, scim } = await setup()
    const byEmployee = await createUser(scim, {
      userName: 'e1',
      [ENTERPRISE]: { employeeNumber: '7' },
    })
    const byEmail = await createUser(scim, {
      userName: 'm1',
      emails: [{ value: 'x@contoso.com', type: 'work' }],
    })
    await reportAgents(tenant.id, [{ id: 'a', email: 'x@contoso.com', employeeId: '7' }])
    expect(await getAgent(tenant.id, 'a')).toMatchObject({ userId: byEmail, linkRule: 'email' })
    const byUpn = await createUser(scim, { userName: 'x.upn@contoso.com' })
    await reportAgents(tenant.id, [
      { id: 'a', upn: 'X.UPN@contoso.com', email: 'x@contoso.com', employeeId: '7' },
    ])
    expect(await getAgent(tenant.id, 'a')).toMatchObject({ userId: byUpn, linkRule: 'upn' })
    expect(byEmployee).not.toBe(byUpn)
  })

  it('Should ignore a home email and leave an agent with no match unlinked', async ({ expect }) => {
    const { tenant, scim } = await setup()
    await createUser(scim, { userName: 'h', emails: [{ value: 'h@home.example', type: 'home' }] })
    const result = await reportAgents(tenant.id, [
      { id: 'h-dev', email: 'h@home.example' },
      { id: 'ghost', upn: 'ghost@contoso.com' },
    ])
    expect(result).toMatchObject({ linked: 0, unlinked: 2 })
    expect(await getAgent(tenant.id, 'ghost')).toMatchObject({ userId: null, linkRule: null })
  })

  it('Should re-link when the user side changes: a new user, a renamed UPN, an identifier removed', async ({
    expect,
  }) => {
    const { tenant, scim } = await setup()
    await reportAgents(tenant.id, [
      { id: 'late', upn: 'late@contoso.com', email: 'late.mail@contoso.com' },
    ])
    expect((await getAgent(tenant.id, 'late')).userId).toBeNull()

    const mailUser = await createUser(scim, {
      userName: 'mail-holder',
      emails: [{ value: 'late.mail@contoso.com', type: 'work' }],
    })
    expect(await getAgent(tenant.id, 'late')).toMatchObject({ userId: mailUser, linkRule: 'email' })

    const upnUser = await createUser(scim, { userName: 'someone-else@contoso.com' })
    const rename = patchOp({ op: 'Replace', path: 'userName', value: 'LATE@contoso.com' })
    expect((await scim.patch(`/Users/${upnUser}`, rename)).status).toBe(200)
    expect(await getAgent(tenant.id, 'late')).toMatchObject({ userId: upnUser, linkRule: 'upn' })

    expect(
      (
        await scim.patch(
          `/Users/${upnUser}`,
          patchOp({ op: 'replace', path: 'userName', value: 'moved@contoso.com' })
        )
      ).status
    ).toBe(200)
    expect(await getAgent(tenant.id, 'late')).toMatchObject({ userId: mailUser, linkRule: 'email' })
    expect(
      (await scim.patch(`/Users/${mailUser}`, patchOp({ op: 'remove', path: 'emails' }))).status
    ).toBe(200)
    expect(await getAgent(tenant.id, 'late')).toMatchObject({ userId: null, linkRule: null })
  })

  it('Should count each agent of a member user as a group member', async ({ expect }) => {
    const { tenant, scim } = await setup()
    const tyler = await createUser(scim, { userName: 'tyler@contoso.com' })
    const uma = await createUser(scim, { userName: 'uma@contoso.com' })
    await createUser(scim, { userName: 'nobody@contoso.com' })
    await reportAgents(tenant.id, [
      { id: 'tyler-laptop', upn: 'tyler@contoso.com' },
      { id: 'tyler-desktop', upn: 'TYLER@contoso.com' },
      { id: 'uma-laptop', upn: 'uma@contoso.com' },
    ])
    const group = await json(
      await scim.post('/Groups', {
        displayName: 'Sales',
        members: [{ value: tyler }, { value: uma }],
      })
    )
    const view = await adminJson<{ userMemberCount: number; agentMemberCount: number }>(
      'GET',
      `/tenants/${tenant.id}/groups/${group.id}`
    )
    expect(view).toMatchObject({ userMemberCount: 2, agentMemberCount: 3 })
    const members = await adminJson<{
      users: { id: string; agents: number }[]
      agents: { id: string }[]
    }>('GET', `/tenants/${tenant.id}/groups/${group.id}/members`)
    expect(members.users.find((u) => u.id === tyler)?.agents).toBe(2)
    expect(members.agents.map((a) => a.id).sort()).toEqual([
      'tyler-desktop',
      'tyler-laptop',
      'uma-laptop',
    ])
  })

  it('Should validate agent batches and write nothing from a bad one', async ({ expect }) => {
    const { tenant } = await setup()
    const bad = await admin('POST', `/tenants/${tenant.id}/agents`, {
      agents: [
        { id: 'ok', logonName: 'ok', domain: 'D', lastSeen: '2026-11-30T10:00:00Z' },
        { id: 'bad', logonName: 'b', domain: 'D', lastSeen: 'yesterday' },
      ],
    })
    expect(bad.status).toBe(400)
    expect((await bad.json<{ error: { message: string } }>()).error.message).toContain(
      'agents.1.lastSeen'
    )
    expect((await admin('GET', `/tenants/${tenant.id}/agents/ok`)).status).toBe(404)
    const tooMany = await admin('POST', `/tenants/${tenant.id}/agents`, {
      agents: Array.from({ length: 1001 }, (_, i) => ({
        id: `a${String(i)}`,
        logonName: 'x',
        domain: 'D',
        lastSeen: '2026-11-30T10:00:00Z',
      })),
    })
    expect(tooMany.status).toBe(400)
  })

  it('Should link every agent of a batch larger than one lookup query (230 by UPN, 230 by email)', async ({
    expect,
  }) => {
    const { tenant, scim } = await setup()
    const n = 230
    for (let start = 0; start < n; start += 23) {
      await Promise.all(
        Array.from({ length: 23 }, (_, k) => {
          const i = start + k
          return createUser(scim, {
            userName: `bulk${String(i)}@contoso.com`,
            emails: [{ value: `mail${String(i)}@contoso.com`, type: 'work' }],
          })
        })
      )
    }
    const agents = Array.from({ length: n }, (_, i) => [
      { id: `u-${String(i)}`, upn: `BULK${String(i)}@contoso.com` },
      { id: `m-${String(i)}`, email: `mail${String(i)}@contoso.com` },
    ]).flat()
    expect(await reportAgents(tenant.id, agents)).toMatchObject({
      received: 2 * n,
      linked: 2 * n,
      unlinked: 0,
    })
    expect(await getAgent(tenant.id, 'm-229')).toMatchObject({ linkRule: 'email' })
    expect(await adminJson('GET', `/tenants/${tenant.id}/licenses`)).toMatchObject({
      licensed: 2 * n,
      linked: 2 * n,
    })
  })

  it('Should refuse an agent batch body over 2 MiB with 413', async ({ expect }) => {
    const { tenant } = await setup()
    const huge = JSON.stringify({
      agents: [
        {
          id: 'x',
          logonName: 'x'.repeat(3 * 1024 * 1024),
          domain: 'D',
          lastSeen: '2026-11-30T10:00:00Z',
        },
      ],
    })
    const res = await call(`/admin/v1/tenants/${tenant.id}/agents`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
      body: huge,
    })
    expect(res.status).toBe(413)
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain(
      'exceeds the maximum'
    )
  })

  it('Should take agent reports through an agent-scoped key and page the agent list', async ({
    expect,
  }) => {
    const { tenant, scim } = await setup()
    await createUser(scim, { userName: 'p1@contoso.com' })
    const key = await adminJson<{ token: string }>(
      'POST',
      `/tenants/${tenant.id}/keys`,
      { name: 'agent backend', scope: 'agent' },
      201
    )
    const headers = { Authorization: `Bearer ${key.token}`, 'Content-Type': 'application/json' }
    const agents = Array.from({ length: 5 }, (_, i) => ({
      id: `p${String(i)}`,
      logonName: `p${String(i)}`,
      domain: 'D',
      upn: `p${String(i)}@contoso.com`,
      lastSeen: '2026-11-30T10:00:00Z',
    }))
    const res = await call('/agent/v1/agents', {
      method: 'POST',
      headers,
      body: JSON.stringify({ agents }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ received: 5, created: 5, linked: 1 })
    const first = await (
      await call('/agent/v1/agents?limit=2', { headers })
    ).json<{
      agents: { id: string }[]
      nextCursor: string
    }>()
    expect(first.agents.map((a) => a.id)).toEqual(['p0', 'p1'])
    const second = await (
      await call(`/agent/v1/agents?limit=2&cursor=${first.nextCursor}`, { headers })
    ).json<{ agents: { id: string }[] }>()
    expect(second.agents.map((a) => a.id)).toEqual(['p2', 'p3'])
    const history = await adminJson<{ entries: { op: string; actor: string; keyId: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/history`
    )
    expect(history.entries.find((e) => e.op === 'agent.link')).toMatchObject({ actor: 'agent' })
  })
})

describe('The agent list by link state', () => {
  interface Listed {
    id: string
    linkState: string
    linkRule: string | null
    holdsLicense: boolean
    lastSeen: string
    mergedInto: string | null
  }
  const list = (tenantId: string, query: string) =>
    adminJson<{ agents: Listed[]; nextCursor: string | null }>(
      'GET',
      `/tenants/${tenantId}/agents?${query}`
    )

  it('Should list linked, unlinked, removed and merged agents apart, paged', async ({ expect }) => {
    const { tenant, scim } = await setup()
    await createUser(scim, { userName: 'lia@contoso.com' })
    const gone = await createUser(scim, { userName: 'gone@contoso.com' })
    await reportAgents(tenant.id, [
      { id: 'a-lia-1', upn: 'lia@contoso.com', lastSeen: '2026-12-01T09:00:00Z' },
      { id: 'b-lia-2', upn: 'lia@contoso.com' },
      { id: 'c-lia-3', upn: 'lia@contoso.com' },
      { id: 'd-stray', upn: 'nobody@contoso.com' },
      { id: 'e-gone', upn: 'gone@contoso.com' },
    ])
    await adminJson(
      'POST',
      `/tenants/${tenant.id}/agents/merge`,
      { into: 'a-lia-1', agentIds: ['c-lia-3'] },
      201
    )
    expect((await scim.del(`/Users/${gone}`)).status).toBe(204)
    await drainAlarms(tenant.id)

    const ids = async (state: string) =>
      (await list(tenant.id, `state=${state}`)).agents.map((a) => a.id)
    expect(await ids('linked')).toEqual(['a-lia-1', 'b-lia-2'])
    expect(await ids('unlinked')).toEqual(['d-stray'])
    expect(await ids('removed')).toEqual(['e-gone'])
    expect((await list(tenant.id, 'state=merged')).agents).toEqual([
      expect.objectContaining({
        id: 'c-lia-3',
        linkState: 'merged',
        linkRule: 'upn',
        holdsLicense: false,
        mergedInto: 'a-lia-1',
      }),
    ])
    const first = await list(tenant.id, 'state=linked&limit=1')
    expect(first.agents).toEqual([
      expect.objectContaining({ id: 'a-lia-1', lastSeen: '2026-12-01T09:00:00Z' }),
    ])
    const second = await list(tenant.id, `state=linked&limit=1&cursor=${first.nextCursor ?? ''}`)
    expect(second.agents.map((a) => a.id)).toEqual(['b-lia-2'])
    const bad = await admin('GET', `/tenants/${tenant.id}/agents?state=licensed`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('state')
  })

  it.for(['linked', 'unlinked', 'removed', 'merged'] as const)(
    'Should read the %s page off the link-state index, without a scan or a sort',
    async (state, { expect }) => {
      const query = agentListQuery(regionDb(env, 'us'), 'us_plan', {
        state,
        after: 'x',
        limit: 100,
      }).toSQL()
      const plan = await env.DB_US.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .bind(...query.params)
        .all<{ detail: string }>()
      const details = plan.results.map((r) => r.detail)
      expect(details[0]).toContain(
        'USING INDEX agents_link_state (tenant_id=? AND link_state=? AND id>?)'
      )
      expect(details.join('\n')).not.toContain('TEMP B-TREE')
    }
  )
})
