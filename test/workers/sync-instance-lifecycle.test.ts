/**
 * A pull instance's lifecycle and its syncs: disabling it cancels its running sync at once,
 * enabling it again ("Disable, then Integrate") starts a sync at once, and deleting it cancels
 * its run and forgets which Entra objects it had linked to product users and groups, so an
 * instance made later starts without them.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import type { SyncRun } from '../../src/sync/report'
import { adminJson } from '../support/directory'
import {
  createPullInstance,
  finishRun,
  latestRun,
  productState,
  pullTenant,
  syncNow,
  type RunView,
} from '../support/graph'

interface Toggled {
  instance: { id: string; enabled: boolean }
  run?: RunView
}

/** What the tenant's object keeps for an instance: its links and the status of its runs. */
async function objectState(tenantId: string, instanceId: string) {
  const stub = env.TENANT_WRITER.getByName(tenantId)
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql
    const links = sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM sync_links WHERE instance_id = ?', instanceId)
      .one().n
    const runs = sql
      .exec<{ status: string }>(
        'SELECT status FROM sync_runs WHERE instance_id = ? ORDER BY started_at',
        instanceId
      )
      .toArray()
      .map((r) => r.status)
    return { links, runs }
  })
}

const startSync = (tenantId: string, instanceId: string) =>
  adminJson<{ run: SyncRun }>(
    'POST',
    `/tenants/${tenantId}/instances/${instanceId}/sync`,
    undefined,
    202
  )

describe('Pull instance lifecycle', () => {
  it('Should start a sync at once when a disabled pull instance is enabled again', async ({
    expect,
  }) => {
    const { tenant, instanceId } = await pullTenant()
    const first = await syncNow(tenant.id, instanceId)
    expect(first.status).toBe('succeeded')
    const path = `/tenants/${tenant.id}/instances/${instanceId}`
    const disabled = await adminJson<Toggled>('POST', `${path}/disable`)
    expect(disabled).toEqual({ instance: expect.objectContaining({ enabled: false }) as unknown })

    const enabled = await adminJson<Toggled>('POST', `${path}/enable`)
    expect(enabled.instance.enabled).toBe(true)
    expect(enabled.run).toMatchObject({ status: 'running', trigger: 'manual', instanceId })
    expect(enabled.run?.id).not.toBe(first.id)
    expect((await latestRun(tenant.id, instanceId)).id).toBe(enabled.run?.id)
    const resync = await finishRun(tenant.id, instanceId)
    expect(resync).toMatchObject({ id: enabled.run?.id, status: 'succeeded' })

    const again = await adminJson<Toggled>('POST', `${path}/enable`)
    expect(again.run).toBeUndefined()
  })

  it('Should cancel the running sync when its instance is disabled', async ({ expect }) => {
    const { tenant, instanceId } = await pullTenant()
    const { run } = await startSync(tenant.id, instanceId)
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/disable`)
    expect(await latestRun(tenant.id, instanceId)).toMatchObject({
      id: run.id,
      status: 'cancelled',
      finishedAt: expect.any(String) as unknown,
    })
  })

  it('Should cancel the run and forget the links of a deleted instance; a new one starts afresh', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    expect((await syncNow(tenant.id, instanceId)).status).toBe('succeeded')
    const product = await productState(tenant)
    await startSync(tenant.id, instanceId)
    const before = await objectState(tenant.id, instanceId)
    expect(before.links).toBeGreaterThan(0)
    expect(before.runs).toEqual(['succeeded', 'running'])

    await adminJson('DELETE', `/tenants/${tenant.id}/instances/${instanceId}`, undefined, 204)
    // Its running sync ends with it: links, run reports and staging are all forgotten.
    expect(await objectState(tenant.id, instanceId)).toEqual({ links: 0, runs: [] })

    const recreated = await createPullInstance(tenant.id, directory)
    expect(await objectState(tenant.id, recreated)).toEqual({ links: 0, runs: [] })
    const run = await syncNow(tenant.id, recreated)
    expect(run.status).toBe('succeeded')
    // It adopts what the old instance made (users deleted by the Delete parent stay deleted).
    expect(await productState(tenant)).toEqual(product)
    expect((await objectState(tenant.id, recreated)).links).toBeGreaterThan(0)
    expect((await objectState(tenant.id, instanceId)).links).toBe(0)
  })
})
