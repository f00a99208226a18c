/**
 * Deleting a pull instance and creating it again (the vendor guide's way to change parent group
 * names): the new instance adopts the users and groups the old one made, by the identifiers the
 * sync writes (externalId = Entra object id, else userName / displayName), even after a user's
 * UPN or a group's name changed in between; it creates no duplicates and reports no conflicts.
 * Deleting an instance forgets its links and runs in the tenant's Durable Object.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, drainAlarms } from '../support/directory'
import {
  GROUP_ID,
  USER_ID,
  createPullInstance,
  mutate,
  pullTenant,
  syncNow,
  type PullOptions,
} from '../support/graph'
import { admin, json, scimClient, type TestTenant } from '../support/scim'

async function groupIds(tenant: TestTenant): Promise<Record<string, string>> {
  const body = await json(await scimClient(tenant).get('/Groups?count=100&attributes=displayName'))
  return Object.fromEntries(body.Resources.map((g) => [String(g.displayName), g.id]))
}

async function usersWhere(tenant: TestTenant, filter: string) {
  const query = encodeURIComponent(filter)
  return (await json(await scimClient(tenant).get(`/Users?filter=${query}`))).Resources
}

const userCount = async (tenant: TestTenant) =>
  (await json(await scimClient(tenant).get('/Users?count=0'))).totalResults

/** Deletes the instance and creates another for the same directory; runs its first sync. */
async function recreate(tenant: TestTenant, directory: string, old: string, options: PullOptions) {
  await adminJson('DELETE', `/tenants/${tenant.id}/instances/${old}`, undefined, 204)
  const instanceId = await createPullInstance(tenant.id, directory, options)
  return { instanceId, run: await syncNow(tenant.id, instanceId) }
}

describe('Entra pull sync: an instance deleted and created again', () => {
  it('Should adopt the users and groups the old instance made, renamed ones included', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    expect((await syncNow(tenant.id, instanceId)).status).toBe('succeeded')
    await drainAlarms(tenant.id)
    const before = await groupIds(tenant)
    const users = await userCount(tenant)
    const [adele] = await usersWhere(tenant, 'userName eq "AdeleV@contoso.com"')

    await mutate(directory, [
      { op: 'renameGroup', groupId: GROUP_ID(2), displayName: 'Sales & Partners' },
      {
        op: 'updateUser',
        userId: USER_ID(1),
        changes: { userPrincipalName: 'adele.vance@contoso.com' },
      },
    ])
    const { run } = await recreate(tenant, directory, instanceId, {})

    expect(run.status).toBe('succeeded')
    expect(run.errors).toEqual([])
    expect(run.counts).toMatchObject({
      usersCreated: 0,
      groupsCreated: 0,
      groupsDeleted: 0,
      deletionsRequested: 0,
    })
    expect(await groupIds(tenant)).toEqual({
      'Sales & Partners': before['Sales'],
      Engineering: before['Engineering'],
      'Support (Dynamic)': before['Support (Dynamic)'],
    })
    expect(await userCount(tenant)).toBe(users)
    expect(await usersWhere(tenant, 'userName eq "adele.vance@contoso.com"')).toEqual([])
    expect((await usersWhere(tenant, `externalId eq "${USER_ID(1)}"`)).map((u) => u.id)).toEqual([
      adele?.id,
    ])
  })

  it('Should adopt them under new parent names too, and keep the rest as they are', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    await syncNow(tenant.id, instanceId)
    await drainAlarms(tenant.id)
    const before = await groupIds(tenant)
    const users = await userCount(tenant)
    await mutate(directory, [
      {
        op: 'addGroup',
        group: { id: GROUP_ID(90), displayName: 'Tracked Teams', members: [GROUP_ID(2)] },
      },
      { op: 'addMember', groupId: GROUP_ID(90), member: GROUP_ID(5) },
    ])
    const { run } = await recreate(tenant, directory, instanceId, { groupsParent: 'Tracked Teams' })

    expect(run.status).toBe('succeeded')
    expect(run.errors).toEqual([])
    expect(run.counts).toMatchObject({ usersCreated: 0, groupsCreated: 0, groupsUpdated: 0 })
    expect(await groupIds(tenant)).toEqual(before)
    expect(await userCount(tenant)).toBe(users)
  })

  it("Should forget the deleted instance's links and runs in the tenant object", async ({
    expect,
  }) => {
    const { tenant, instanceId } = await pullTenant()
    await syncNow(tenant.id, instanceId)
    const stub = env.TENANT_WRITER.getByName(tenant.id)
    const rows = () =>
      runInDurableObject(stub, (_instance, state) =>
        ['sync_links', 'sync_runs'].map(
          (table) =>
            state.storage.sql
              .exec<{ n: number }>(
                `SELECT count(*) AS n FROM ${table} WHERE instance_id = ?`,
                instanceId
              )
              .one().n
        )
      )
    const [links, runs] = await rows()
    expect(links).toBeGreaterThan(10)
    expect(runs).toBe(1)
    expect((await admin('DELETE', `/tenants/${tenant.id}/instances/${instanceId}`)).status).toBe(
      204
    )
    expect(await rows()).toEqual([0, 0])
    // A retried delete finds nothing to delete and changes nothing.
    expect((await admin('DELETE', `/tenants/${tenant.id}/instances/${instanceId}`)).status).toBe(
      404
    )
    expect(await rows()).toEqual([0, 0])
  })
})
