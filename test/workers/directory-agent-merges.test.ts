/**
 * Merging a user's agents (the Okta guide: "if Tyler has 2 user agents, adding him to a group
 * will result in 2 members. You can merge these user agents to consolidate group membership"):
 * what an admin sees in group members, licenses and the agent list after a merge, a later report,
 * an undo, a link change that moves the survivor, and the user's deletion.
 */
import { describe, it } from 'vitest'
import {
  adminJson,
  drainAlarms,
  getAgent,
  hoursFromNow,
  reportAgents,
  runCron,
  userHistory,
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

interface Merge {
  id: string
  userId: string
  into: string
  agentIds: string[]
  state: string
  endedAt: string | null
  endReason: string | null
}

interface Licenses {
  agents: number
  licensed: number
  removed: number
  merged: number
  linked: number
}

interface Members {
  agentCount: number
  users: { id: string; agents: number }[]
  agents: { id: string; merged: number }[]
}

interface UserView {
  id: string
  agentCount: number
  mergedAgentCount: number
}

async function createUser(scim: ScimClient, userName: string): Promise<string> {
  const res = await scim.post('/Users', { userName })
  if (res.status !== 201) throw new Error(`create user: ${String(res.status)} ${await res.text()}`)
  return (await json(res)).id
}

/** Tyler with a laptop and a desktop, Uma with a laptop, both in the Sales group. */
async function tylerAndUma() {
  const tenant = await createTenant()
  const scim = scimClient(tenant)
  const tyler = await createUser(scim, 'tyler@contoso.com')
  const uma = await createUser(scim, 'uma@contoso.com')
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
  return { tenant, scim, tyler, uma, groupId: group.id }
}

const merge = (tenant: TestTenant, body: unknown) =>
  adminJson<Merge>('POST', `/tenants/${tenant.id}/agents/merge`, body, 201)
const licenses = (tenant: TestTenant) =>
  adminJson<Licenses>('GET', `/tenants/${tenant.id}/licenses`)
const members = (tenant: TestTenant, groupId: string) =>
  adminJson<Members>('GET', `/tenants/${tenant.id}/groups/${groupId}/members`)
const groupCounts = (tenant: TestTenant, groupId: string) =>
  adminJson<{ userMemberCount: number; agentMemberCount: number }>(
    'GET',
    `/tenants/${tenant.id}/groups/${groupId}`
  )

describe('Merging user agents', () => {
  it('Should count merged agents once in group membership and licenses, showing them as merged', async ({
    expect,
  }) => {
    const { tenant, tyler, groupId } = await tylerAndUma()
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 3 })

    const made = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    expect(made).toMatchObject({
      userId: tyler,
      into: 'tyler-laptop',
      agentIds: ['tyler-desktop'],
      state: 'in-force',
      endedAt: null,
    })

    expect(await groupCounts(tenant, groupId)).toMatchObject({
      userMemberCount: 2,
      agentMemberCount: 2,
    })
    const list = await members(tenant, groupId)
    expect(list.agents).toEqual([
      expect.objectContaining({ id: 'tyler-laptop', merged: 1 }),
      expect.objectContaining({ id: 'uma-laptop', merged: 0 }),
    ])
    expect(list.users.find((u) => u.id === tyler)?.agents).toBe(1)
    expect(await licenses(tenant)).toMatchObject({
      agents: 3,
      licensed: 2,
      merged: 1,
      linked: 2,
    })
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({
      userId: tyler,
      state: 'merged',
      linkState: 'merged',
      holdsLicense: false,
      mergedInto: 'tyler-laptop',
      mergeId: made.id,
    })
    expect(await getAgent(tenant.id, 'tyler-laptop')).toMatchObject({
      state: 'active',
      holdsLicense: true,
      mergedAgents: 1,
    })
    const entry = (await userHistory(tenant.id, tyler)).find((e) => e.op === 'agent.merge')
    expect(entry).toMatchObject({
      actor: 'operator',
      resourceType: 'Agent',
      resourceId: 'tyler-desktop',
      changes: expect.arrayContaining([
        { attr: 'mergeId', after: made.id },
        { attr: 'mergedInto', before: null, after: 'tyler-laptop' },
      ]) as unknown,
    })
  })

  it("Should count a merge once in the user's agent count, showing its merged agents apart", async ({
    expect,
  }) => {
    const { tenant, tyler } = await tylerAndUma()
    const made = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    const users = await adminJson<{ users: UserView[] }>('GET', `/tenants/${tenant.id}/users`)
    expect(users.users.find((u) => u.id === tyler)).toMatchObject({
      agentCount: 1,
      mergedAgentCount: 1,
    })
    const detail = await adminJson<UserView & { agents: unknown[] }>(
      'GET',
      `/tenants/${tenant.id}/users/${tyler}`
    )
    expect(detail).toMatchObject({ agentCount: 1, mergedAgentCount: 1 })
    expect(detail.agents).toEqual([
      expect.objectContaining({ id: 'tyler-desktop', state: 'merged', mergedInto: 'tyler-laptop' }),
      expect.objectContaining({ id: 'tyler-laptop', state: 'active', mergedAgents: 1 }),
    ])

    await adminJson('POST', `/tenants/${tenant.id}/agents/merges/${made.id}/undo`)
    expect(await adminJson<UserView>('GET', `/tenants/${tenant.id}/users/${tyler}`)).toMatchObject({
      agentCount: 2,
      mergedAgentCount: 0,
    })
  })

  it('Should keep a merged agent merged when it reports again', async ({ expect }) => {
    const { tenant, groupId } = await tylerAndUma()
    await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    const result = await reportAgents(tenant.id, [
      { id: 'tyler-desktop', upn: 'tyler@contoso.com', lastSeen: '2026-12-01T08:00:00Z' },
    ])
    expect(result).toMatchObject({ linkChanges: 0 })
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({
      state: 'merged',
      mergedInto: 'tyler-laptop',
      lastSeen: '2026-12-01T08:00:00Z',
    })
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 2 })
    expect(await licenses(tenant)).toMatchObject({ licensed: 2, merged: 1 })
  })

  it('Should undo a merge: separate members and licenses again, recorded, and only once', async ({
    expect,
  }) => {
    const { tenant, tyler, groupId } = await tylerAndUma()
    const made = await merge(tenant, {
      userId: tyler,
      into: 'tyler-laptop',
      agentIds: ['tyler-laptop', 'tyler-desktop'],
    })
    const undone = await adminJson<Merge>(
      'POST',
      `/tenants/${tenant.id}/agents/merges/${made.id}/undo`
    )
    expect(undone).toMatchObject({ id: made.id, state: 'ended', endReason: 'undo' })
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 3 })
    expect(await licenses(tenant)).toMatchObject({ licensed: 3, merged: 0 })
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({
      userId: tyler,
      state: 'active',
      linkState: 'linked',
      mergedInto: null,
      mergeId: null,
    })
    expect(
      await adminJson<Merge>('GET', `/tenants/${tenant.id}/agents/merges/${made.id}`)
    ).toMatchObject({ state: 'ended', endReason: 'undo', agentIds: ['tyler-desktop'] })
    const entry = (await userHistory(tenant.id, tyler)).find((e) => e.op === 'agent.unmerge')
    expect(entry).toMatchObject({
      resourceId: 'tyler-desktop',
      changes: expect.arrayContaining([{ attr: 'reason', after: 'undo' }]) as unknown,
    })
    const again = await admin('POST', `/tenants/${tenant.id}/agents/merges/${made.id}/undo`)
    expect(again.status).toBe(409)
    expect((await admin('POST', `/tenants/${tenant.id}/agents/merges/nope/undo`)).status).toBe(404)
  })

  it('Should let a survivor take more agents, and undo each merge on its own', async ({
    expect,
  }) => {
    const { tenant, groupId } = await tylerAndUma()
    await reportAgents(tenant.id, [{ id: 'tyler-tablet', upn: 'tyler@contoso.com' }])
    const first = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-tablet'] })
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 2 })
    expect(await getAgent(tenant.id, 'tyler-laptop')).toMatchObject({ mergedAgents: 2 })
    await adminJson('POST', `/tenants/${tenant.id}/agents/merges/${first.id}/undo`)
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({ state: 'active' })
    expect(await getAgent(tenant.id, 'tyler-tablet')).toMatchObject({ state: 'merged' })
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 3 })
  })

  it.for([
    [
      'fewer than two agents',
      { into: 'tyler-laptop', agentIds: ['tyler-laptop'] },
      400,
      'at least two',
    ],
    ['an empty agent list', { into: 'tyler-laptop', agentIds: [] }, 400, 'agentIds'],
    [
      'unknown ids',
      { into: 'tyler-laptop', agentIds: ['ghost', 'phantom'] },
      404,
      '"ghost", "phantom"',
    ],
    [
      'agents of different users',
      { into: 'tyler-laptop', agentIds: ['uma-laptop'] },
      409,
      'different users',
    ],
    [
      'an unlinked agent',
      { into: 'tyler-laptop', agentIds: ['stray'] },
      409,
      '"stray" are not linked',
    ],
    [
      'a removed agent',
      { into: 'tyler-laptop', agentIds: ['gone-pc'] },
      409,
      '"gone-pc" were removed',
    ],
    [
      'an agent merged already',
      { into: 'tyler-desktop', agentIds: ['tyler-tablet'] },
      409,
      'already merged into "tyler-laptop"',
    ],
    [
      'absorbing a survivor',
      { into: 'tyler-tablet', agentIds: ['tyler-laptop'] },
      409,
      '"tyler-laptop" already have agents merged',
    ],
    [
      'another user named',
      { userId: 'someone-else', into: 'tyler-laptop', agentIds: ['tyler-tablet'] },
      409,
      'do not belong to user "someone-else"',
    ],
  ] as const)(
    'Should refuse %s and write nothing',
    async ([, body, status, message], { expect }) => {
      const { tenant, scim } = await tylerAndUma()
      const gone = await createUser(scim, 'gone@contoso.com')
      await reportAgents(tenant.id, [
        { id: 'tyler-tablet', upn: 'tyler@contoso.com' },
        { id: 'stray', upn: 'nobody@contoso.com' },
        { id: 'gone-pc', upn: 'gone@contoso.com' },
      ])
      await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
      await scim.del(`/Users/${gone}`)
      await drainAlarms(tenant.id)
      const before = await licenses(tenant)

      const res = await admin('POST', `/tenants/${tenant.id}/agents/merge`, body)
      const answer = await res.json<{ error: { status: number; message: string } }>()
      expect(res.status).toBe(status)
      expect(answer.error).toMatchObject({
        status,
        message: expect.stringContaining(message) as unknown,
      })
      expect(await licenses(tenant)).toEqual(before)
      expect(await getAgent(tenant.id, 'tyler-tablet')).toMatchObject({ state: 'active' })
    }
  )

  it('Should refuse merges through an agent-scoped key', async ({ expect }) => {
    const { tenant } = await tylerAndUma()
    const key = await adminJson<{ token: string }>(
      'POST',
      `/tenants/${tenant.id}/keys`,
      { name: 'agent backend', scope: 'agent' },
      201
    )
    const headers = { Authorization: `Bearer ${key.token}`, 'Content-Type': 'application/json' }
    const res = await call('/agent/v1/agents/merge', {
      method: 'POST',
      headers,
      body: JSON.stringify({ into: 'tyler-laptop', agentIds: ['tyler-desktop'] }),
    })
    expect(res.status).toBe(403)
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain(
      'admin action'
    )
    expect(await licenses(tenant)).toMatchObject({ merged: 0 })
    const made = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    const undo = await call(`/agent/v1/agents/merges/${made.id}/undo`, { method: 'POST', headers })
    expect(undo.status).toBe(403)
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({ state: 'merged' })
  })
})

describe('Merges when links change', () => {
  it('Should end the merge when the survivor reports another user, and link each agent on its own', async ({
    expect,
  }) => {
    const { tenant, tyler, uma, groupId } = await tylerAndUma()
    const made = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    // The laptop changes hands: it now reports Uma's UPN.
    await reportAgents(tenant.id, [{ id: 'tyler-laptop', upn: 'uma@contoso.com' }])
    expect(await getAgent(tenant.id, 'tyler-laptop')).toMatchObject({ userId: uma })
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({
      userId: tyler,
      state: 'active',
      mergedInto: null,
    })
    expect(
      await adminJson<Merge>('GET', `/tenants/${tenant.id}/agents/merges/${made.id}`)
    ).toMatchObject({ state: 'ended', endReason: 'relinked' })
    expect(await licenses(tenant)).toMatchObject({ licensed: 3, merged: 0 })
    expect(await groupCounts(tenant, groupId)).toMatchObject({ agentMemberCount: 3 })
  })

  it("Should end the merge when the user's identifiers change and relink the agents apart", async ({
    expect,
  }) => {
    const { tenant, scim, tyler } = await tylerAndUma()
    await reportAgents(tenant.id, [
      { id: 'tyler-laptop', upn: 'tyler@contoso.com', email: 'tyler.mail@contoso.com' },
    ])
    const made = await merge(tenant, { into: 'tyler-desktop', agentIds: ['tyler-laptop'] })
    const mailUser = await json(
      await scim.post('/Users', {
        userName: 'mail-holder',
        emails: [{ value: 'tyler.mail@contoso.com', type: 'work' }],
      })
    )
    const rename = patchOp({ op: 'replace', path: 'userName', value: 'tyler.new@contoso.com' })
    expect((await scim.patch(`/Users/${tyler}`, rename)).status).toBe(200)
    expect(await getAgent(tenant.id, 'tyler-desktop')).toMatchObject({
      userId: null,
      state: 'active',
      linkState: 'unlinked',
    })
    expect(await getAgent(tenant.id, 'tyler-laptop')).toMatchObject({
      userId: mailUser.id,
      linkRule: 'email',
      state: 'active',
      mergedInto: null,
    })
    expect(
      await adminJson<Merge>('GET', `/tenants/${tenant.id}/agents/merges/${made.id}`)
    ).toMatchObject({ state: 'ended', endReason: 'relinked' })
  })
})

describe('Merges and deletion', () => {
  it("Should purge a deleted user's merged agents too, end the merge and verify the deletion", async ({
    expect,
  }) => {
    const { tenant, scim, tyler } = await tylerAndUma()
    const made = await merge(tenant, { into: 'tyler-laptop', agentIds: ['tyler-desktop'] })
    expect((await scim.del(`/Users/${tyler}`)).status).toBe(204)
    await drainAlarms(tenant.id)
    for (const id of ['tyler-laptop', 'tyler-desktop'])
      expect(await getAgent(tenant.id, id)).toMatchObject({
        userId: null,
        state: 'removed',
        mergedInto: null,
        doNotTrack: true,
      })
    expect(await licenses(tenant)).toMatchObject({ licensed: 1, removed: 2, merged: 0 })
    expect(
      await adminJson<Merge>('GET', `/tenants/${tenant.id}/agents/merges/${made.id}`)
    ).toMatchObject({ state: 'ended', endReason: 'user-deleted' })
    expect(
      (await admin('POST', `/tenants/${tenant.id}/agents/merges/${made.id}/undo`)).status
    ).toBe(409)
    await runCron(hoursFromNow(13))
    const { deletions } = await adminJson<{ deletions: { status: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/deletions`
    )
    expect(deletions).toMatchObject([{ status: 'verified' }])
  })
})
