/**
 * D1 failing under the tenant's object: a batch refused outright, and a batch D1 committed but
 * whose answer was lost on the way back (D1's "Network connection lost": the write may or may
 * not have happened). The object forgets what it remembered and runs the write again on what D1
 * holds, so the client gets an answer that matches the stored state, and the next write builds
 * on that state instead of on what the object remembered before the fault.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { tapD1 } from '../support/d1-counter'
import { adminJson, userHistory, type HistoryEntry } from '../support/directory'
import { createTenant, json, patchOp, scimClient } from '../support/scim'

type Fault = 'refused' | 'answer-lost'

const groupHistory = async (tenantId: string, groupId: string): Promise<HistoryEntry[]> =>
  (
    await adminJson<{ entries: HistoryEntry[] }>(
      'GET',
      `/tenants/${tenantId}/history?limit=1000&groupId=${groupId}`
    )
  ).entries

const LOST = 'D1_ERROR: Network connection lost.'

/** The object's D1 fails its next write batch once (a batch of reads passes), as `fault` says. */
async function failNextWrite(tenantId: string, fault: Fault): Promise<void> {
  let armed = true
  let answerLost = false
  const tapped = tapD1(env.DB_US, {
    onTrip: (kind, queries) => {
      if (!armed || kind !== 'batch' || queries.every((q) => /^\s*select\b/i.test(q))) return
      armed = false
      if (fault === 'refused') throw new Error(LOST)
      answerLost = true
    },
  })
  const faulty = new Proxy(tapped, {
    get(target, prop) {
      const batch = target.batch.bind(target)
      const value: unknown = Reflect.get(target, prop)
      if (prop !== 'batch') return value
      return async (statements: D1PreparedStatement[]) => {
        const results = await batch(statements)
        if (!answerLost) return results
        answerLost = false
        throw new Error(LOST)
      }
    },
  })
  await runInDurableObject(env.TENANT_WRITER.getByName(tenantId), (instance) => {
    Reflect.set(instance, 'env', { ...env, DB_US: faulty })
  })
}

describe('A D1 batch failing under a write', () => {
  for (const fault of ['refused', 'answer-lost'] as const) {
    it(`Should rename a group once when its batch is ${fault}, and keep the name`, async ({
      expect,
    }) => {
      const tenant = await createTenant()
      const scim = scimClient(tenant)
      const user = await json(await scim.post('/Users', { userName: `ada-${fault}@example.com` }))
      const group = await json(await scim.post('/Groups', { displayName: 'Eng' }))
      await failNextWrite(tenant.id, fault)
      const renamed = await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'Replace', path: 'displayName', value: 'Engineering' })
      )
      expect(renamed.status).toBe(204)
      // The object must not build the next write on the group it remembered before the fault.
      const added = await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'Add', path: 'members', value: [{ value: user.id }] })
      )
      expect(added.status).toBe(204)
      const read = await json(await scim.get(`/Groups/${group.id}`))
      expect(read.displayName).toBe('Engineering')
      expect(read.members?.map((m) => m.value)).toEqual([user.id])
      expect(read.meta.version).toBe('W/"3"')
      const renames = await groupHistory(tenant.id, group.id)
      expect(renames.filter((e) => e.op === 'group.update')).toHaveLength(1)
    })
  }

  it('Should answer a user PATCH whose answer D1 lost with the groups the user is in', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'ken@example.com' }))
    const group = await json(await scim.post('/Groups', { displayName: 'Ops' }))
    await scim.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: user.id }] })
    )
    await failNextWrite(tenant.id, 'answer-lost')
    const res = await scim.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Ken T.' })
    )
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.displayName).toBe('Ken T.')
    expect(body.groups?.map((g) => g.value)).toEqual([group.id])
    expect(body.meta.version).toBe('W/"2"')
  })

  it('Should answer an admin change whose answer D1 lost as made, once', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(await scim.post('/Users', { userName: 'linus@example.com' }))
    // An admin's unit of work runs alone in the object, committing its own batch.
    await failNextWrite(tenant.id, 'answer-lost')
    await adminJson('POST', `/tenants/${tenant.id}/dnt`, { userId: user.id }, 201)
    const list = await adminJson<{ entries: unknown[] }>('GET', `/tenants/${tenant.id}/dnt`)
    expect(list.entries).toHaveLength(1)
    const ops = (await userHistory(tenant.id, user.id)).map((e) => e.op)
    expect(ops.filter((op) => op === 'dnt.add')).toHaveLength(1)
  })

  it('Should answer a create whose answer D1 lost with the user it made', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    await failNextWrite(tenant.id, 'answer-lost')
    const res = await scim.post('/Users', { userName: 'grace@example.com' })
    const body = await json(res)
    expect({ status: res.status, detail: body.detail }).toEqual({ status: 201, detail: undefined })
    const list = await json(await scim.get('/Users?filter=userName eq "grace@example.com"'))
    expect(list.totalResults).toBe(1)
    expect(await userHistory(tenant.id, body.id)).toHaveLength(1)
  })
})
