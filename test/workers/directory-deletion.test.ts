/**
 * Suspension, deletion and its verification within 12 hours (at once after the purge, retried by
 * the cron until the deadline), Do Not Track and licenses: what an admin sees through the admin
 * API after Entra's soft delete, a hard DELETE, the purge on the tenant's Durable Object alarm,
 * and the Cron Trigger run with controlled time.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import {
  ACTIVTRAK,
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
  createTenant,
  json,
  patchOp,
  scimClient,
  type ScimClient,
  type TestTenant,
} from '../support/scim'

interface Deletion {
  id: string
  userId: string
  status: string
  attempts: number
  reason: string | null
  purgedAt: string | null
  requestedAt: string
  verifiedAt: string | null
  verifyBy: string
  identifiers: { userName: string }
}

interface Licenses {
  agents: number
  licensed: number
  licensedDoNotTrack: number
  removed: number
}

async function userWithAgents(
  scim: ScimClient,
  tenant: TestTenant,
  name: string,
  agentIds: string[]
): Promise<string> {
  const user = await json(
    await scim.post('/Users', {
      userName: `${name}@contoso.com`,
      emails: [{ value: `${name}@contoso.com`, type: 'work' }],
    })
  )
  await reportAgents(
    tenant.id,
    agentIds.map((id) => ({ id, upn: `${name}@contoso.com` }))
  )
  return user.id
}

/**
 * Deletes a user but leaves its row behind (as a write lost in a crash might), which no purge
 * removes; `remove` takes it away.
 */
async function leaveUserRowBehind(tenant: TestTenant, scim: ScimClient, userId: string) {
  const table = `leftover_${userId.replace(/-/g, '')}`
  await env.DB_US.prepare(
    `CREATE TABLE ${table} AS SELECT * FROM users WHERE tenant_id = ? AND id = ?`
  )
    .bind(tenant.id, userId)
    .run()
  const deleted = await scim.del(`/Users/${userId}`)
  if (deleted.status !== 204) throw new Error(`DELETE answered ${String(deleted.status)}`)
  await env.DB_US.prepare(`INSERT INTO users SELECT * FROM ${table}`).run()
  return {
    remove: () =>
      env.DB_US.prepare('DELETE FROM users WHERE tenant_id = ? AND id = ?')
        .bind(tenant.id, userId)
        .run(),
  }
}

const deletions = async (tenantId: string) =>
  (await adminJson<{ deletions: Deletion[] }>('GET', `/tenants/${tenantId}/deletions`)).deletions
const licenses = (tenantId: string) => adminJson<Licenses>('GET', `/tenants/${tenantId}/licenses`)

describe('Suspension', () => {
  it('Should suspend on active=false and restore on active=true, keeping data and memberships', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'sue', ['sue-pc'])
    const group = await json(
      await scim.post('/Groups', { displayName: 'Ops', members: [{ value: userId }] })
    )
    expect(
      (
        await scim.patch(
          `/Users/${userId}`,
          patchOp({ op: 'Replace', path: 'active', value: 'False' })
        )
      ).status
    ).toBe(200)
    expect(await adminJson('GET', `/tenants/${tenant.id}/users/${userId}`)).toMatchObject({
      state: 'suspended',
      canSignIn: false,
      agentCount: 1,
      groups: [{ id: group.id }],
    })
    expect((await scim.get(`/Users/${userId}`)).status).toBe(200)
    const found = await json(
      await scim.get(`/Users?filter=${encodeURIComponent('userName eq "SUE@contoso.com"')}`)
    )
    expect(found.totalResults).toBe(1)
    expect(await licenses(tenant.id)).toMatchObject({ licensed: 1 })

    expect(
      (await scim.patch(`/Users/${userId}`, patchOp({ op: 'replace', value: { active: true } })))
        .status
    ).toBe(200)
    expect(await adminJson('GET', `/tenants/${tenant.id}/users/${userId}`)).toMatchObject({
      state: 'active',
      canSignIn: true,
    })
    const ops = (await userHistory(tenant.id, userId)).map((e) => e.op)
    expect(ops).toEqual(expect.arrayContaining(['user.suspend', 'user.restore']))
  })
})

describe('Deletion', () => {
  it('Should delete at once, purge agents on the alarm, free their licenses and DNT-list them', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'dan', ['dan-laptop', 'dan-desktop'])
    await userWithAgents(scim, tenant, 'kept', ['kept-pc'])
    const group = await json(
      await scim.post('/Groups', { displayName: 'Finance', members: [{ value: userId }] })
    )
    expect(await licenses(tenant.id)).toMatchObject({ agents: 3, licensed: 3, removed: 0 })

    expect((await scim.del(`/Users/${userId}`)).status).toBe(204)
    expect((await scim.get(`/Users/${userId}`)).status).toBe(404)
    expect((await json(await scim.get(`/Groups/${group.id}`))).members ?? []).toEqual([])
    const [pending] = await deletions(tenant.id)
    expect(pending).toMatchObject({
      userId,
      status: 'pending',
      attempts: 0,
      purgedAt: null,
      identifiers: { userName: 'dan@contoso.com' },
    })

    expect(await drainAlarms(tenant.id)).toBeGreaterThan(0)
    expect(await getAgent(tenant.id, 'dan-laptop')).toMatchObject({
      userId: null,
      state: 'removed',
      doNotTrack: true,
    })
    expect(await licenses(tenant.id)).toMatchObject({ agents: 3, licensed: 1, removed: 2 })
    const dnt = await adminJson<{
      entries: { userId: string | null; agentId: string | null; source: string }[]
    }>('GET', `/tenants/${tenant.id}/dnt`)
    expect(dnt.entries.map((e) => e.agentId ?? e.userId).sort()).toEqual(
      ['dan-desktop', 'dan-laptop', userId].sort()
    )
    expect(dnt.entries.every((e) => e.source === 'deletion')).toBe(true)
    expect((await deletions(tenant.id))[0]?.purgedAt).not.toBeNull()
  })

  it('Should purge an agent that reports between the DELETE and the purge, even when a user with its identifiers appears meanwhile', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'ray', ['ray-pc', 'ray-laptop'])
    expect((await scim.del(`/Users/${userId}`)).status).toBe(204)

    // Before the alarm runs: one agent reports, and a new user takes the other's identifiers.
    await reportAgents(tenant.id, [{ id: 'ray-pc', upn: 'ray@contoso.com' }])
    const newcomer = await json(
      await scim.post('/Users', {
        userName: 'ray@contoso.com',
        emails: [{ value: 'ray@contoso.com', type: 'work' }],
      })
    )
    expect(await getAgent(tenant.id, 'ray-pc')).toMatchObject({ userId, state: 'active' })
    expect(await getAgent(tenant.id, 'ray-laptop')).toMatchObject({ userId, state: 'active' })

    await drainAlarms(tenant.id)
    for (const id of ['ray-pc', 'ray-laptop'])
      expect(await getAgent(tenant.id, id)).toMatchObject({
        userId: null,
        state: 'removed',
        holdsLicense: false,
        doNotTrack: true,
      })
    expect(await licenses(tenant.id)).toMatchObject({ agents: 2, licensed: 0, removed: 2 })
    expect((await deletions(tenant.id))[0]).toMatchObject({ status: 'verified', reason: null })
    const ops = (await userHistory(tenant.id, userId)).map((e) => e.op)
    expect(ops).not.toContain('agent.unlink')
    expect(ops.filter((op) => op === 'agent.remove')).toHaveLength(2)
    expect((await adminJson('GET', `/tenants/${tenant.id}/users/${newcomer.id}`)).agentCount).toBe(
      0
    )
  })

  it('Should verify a deletion as soon as its purge is done, long before its 12-hour deadline', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'vera', ['vera-pc'])
    await scim.del(`/Users/${userId}`)
    const [pending] = await deletions(tenant.id)
    expect(pending).toMatchObject({ status: 'pending', verifiedAt: null })
    expect(pending?.verifyBy).toBe(
      new Date(Date.parse(pending?.requestedAt ?? '') + 12 * 3_600_000).toISOString()
    )
    await drainAlarms(tenant.id)
    const [verified] = await deletions(tenant.id)
    expect(verified).toMatchObject({
      status: 'verified',
      attempts: 1,
      reason: null,
      verifyBy: pending?.verifyBy,
    })
    expect(Date.parse(verified?.verifiedAt ?? '')).toBeLessThan(Date.parse(pending?.verifyBy ?? ''))
    expect((await userHistory(tenant.id, userId)).map((e) => e.op)).toContain('deletion.verified')
  })

  it('Should retry a deletion that left data behind, then verify it at the next cron', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'rita', ['rita-pc'])
    const leftover = await leaveUserRowBehind(tenant, scim, userId)
    await drainAlarms(tenant.id)
    expect((await deletions(tenant.id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      reason: 'the user row still exists',
    })
    await leftover.remove()
    await runCron(hoursFromNow(0.25))
    expect((await deletions(tenant.id))[0]).toMatchObject({
      status: 'verified',
      attempts: 2,
      reason: null,
    })
  })

  it('Should retry in between, and mark a deletion failed with the reason only 12 hours after the request', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'fay', ['fay-pc'])
    await leaveUserRowBehind(tenant, scim, userId)
    await drainAlarms(tenant.id)
    for (const hours of [1, 6, 11.9]) {
      await runCron(hoursFromNow(hours))
      await drainAlarms(tenant.id)
      expect((await deletions(tenant.id))[0]).toMatchObject({
        status: 'pending',
        reason: 'the user row still exists',
      })
    }
    await runCron(hoursFromNow(12.1))
    const [failed] = await deletions(tenant.id)
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 5,
      reason: 'the user row still exists',
      verifiedAt: null,
    })
    await runCron(hoursFromNow(20))
    expect((await deletions(tenant.id))[0]).toMatchObject({ status: 'failed', attempts: 5 })
    const failedOnly = await adminJson<{ deletions: Deletion[] }>(
      'GET',
      `/tenants/${tenant.id}/deletions?status=failed`
    )
    expect(failedOnly.deletions).toHaveLength(1)
  })
})

describe('Do Not Track and licenses', () => {
  it('Should put a tracking=false user on the list, keep the entry sticky, and free no license', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'nat', ['nat-pc'])
    const off = patchOp({ op: 'Add', path: `${ACTIVTRAK}:tracking`, value: 'False' })
    expect((await scim.patch(`/Users/${userId}`, off)).status).toBe(200)
    expect(await getAgent(tenant.id, 'nat-pc')).toMatchObject({ doNotTrack: true, state: 'active' })
    expect(await licenses(tenant.id)).toMatchObject({ licensed: 1, licensedDoNotTrack: 1 })

    await scim.patch(
      `/Users/${userId}`,
      patchOp({ op: 'replace', path: `${ACTIVTRAK}:tracking`, value: true })
    )
    const list = await adminJson<{ entries: { id: string; userId: string; source: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/dnt`
    )
    expect(list.entries).toMatchObject([{ userId, source: 'tracking' }])

    const entryId = list.entries[0]?.id ?? ''
    expect((await admin('DELETE', `/tenants/${tenant.id}/dnt/${entryId}`)).status).toBe(204)
    expect(
      (await adminJson<{ entries: unknown[] }>('GET', `/tenants/${tenant.id}/dnt`)).entries
    ).toEqual([])
    expect(await getAgent(tenant.id, 'nat-pc')).toMatchObject({ doNotTrack: false })
    const removal = (await userHistory(tenant.id, userId)).find((e) => e.op === 'dnt.remove')
    expect(removal).toMatchObject({ actor: 'operator', resourceId: entryId })
    expect((await admin('DELETE', `/tenants/${tenant.id}/dnt/${entryId}`)).status).toBe(404)
  })

  it("Should keep a deleted user's agent removed while its DNT entry exists, and bring it back at its next report once the entry is removed", async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const oldId = await userWithAgents(scim, tenant, 'rae', ['rae-pc'])
    expect((await scim.del(`/Users/${oldId}`)).status).toBe(204)
    await drainAlarms(tenant.id)
    expect(await getAgent(tenant.id, 'rae-pc')).toMatchObject({
      state: 'removed',
      userId: null,
      doNotTrack: true,
    })

    // Sticky: re-provisioning the same UPN and later reports do not bring the agent back.
    const again = await json(
      await scim.post('/Users', {
        userName: 'rae@contoso.com',
        emails: [{ value: 'rae@contoso.com', type: 'work' }],
      })
    )
    expect(again.id).not.toBe(oldId)
    expect(await reportAgents(tenant.id, [{ id: 'rae-pc', upn: 'rae@contoso.com' }])).toMatchObject(
      { restored: 0, linked: 0 }
    )
    expect(await getAgent(tenant.id, 'rae-pc')).toMatchObject({ state: 'removed', userId: null })
    expect(await licenses(tenant.id)).toMatchObject({ licensed: 0, removed: 1 })

    const dnt = await adminJson<{ entries: { id: string; agentId: string | null }[] }>(
      'GET',
      `/tenants/${tenant.id}/dnt`
    )
    const entry = dnt.entries.find((e) => e.agentId === 'rae-pc')
    expect((await admin('DELETE', `/tenants/${tenant.id}/dnt/${entry?.id ?? ''}`)).status).toBe(204)
    // Removing the entry alone takes no license: the device must report again.
    expect(await getAgent(tenant.id, 'rae-pc')).toMatchObject({ state: 'removed' })

    expect(await reportAgents(tenant.id, [{ id: 'rae-pc', upn: 'rae@contoso.com' }])).toMatchObject(
      { restored: 1, linked: 1 }
    )
    expect(await getAgent(tenant.id, 'rae-pc')).toMatchObject({
      state: 'active',
      holdsLicense: true,
      userId: again.id,
      linkRule: 'upn',
      doNotTrack: false,
    })
    expect(await licenses(tenant.id)).toMatchObject({ licensed: 1, removed: 0 })
    const ops = (await userHistory(tenant.id, again.id)).map((e) => e.op)
    expect(ops).toContain('agent.link')
    const history = await adminJson<{ entries: { op: string; resourceId: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/history`
    )
    expect(history.entries).toContainEqual(
      expect.objectContaining({ op: 'agent.restore', resourceId: 'rae-pc' })
    )
  })

  it('Should let an operator add a user or an agent, once', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const userId = await userWithAgents(scim, tenant, 'opa', ['opa-pc'])
    const first = await adminJson<{ id: string; source: string }>(
      'POST',
      `/tenants/${tenant.id}/dnt`,
      { agentId: 'opa-pc' },
      201
    )
    const again = await adminJson<{ id: string }>(
      'POST',
      `/tenants/${tenant.id}/dnt`,
      { agentId: 'opa-pc' },
      201
    )
    expect(again.id).toBe(first.id)
    expect(first.source).toBe('operator')
    await adminJson('POST', `/tenants/${tenant.id}/dnt`, { userId }, 201)
    expect((await admin('POST', `/tenants/${tenant.id}/dnt`, { userId: 'nope' })).status).toBe(404)
    expect(
      (await admin('POST', `/tenants/${tenant.id}/dnt`, { userId, agentId: 'x' })).status
    ).toBe(400)
  })
})
