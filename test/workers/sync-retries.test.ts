/**
 * A failed pull sync run is retried by a new run with backoff (5 min, 15 min, 1 h, 4 h, never
 * later than the instance's interval), on the tenant object's alarm and by the cron, and the next
 * run's time is shown as `nextRunAt` next to the run reports. A failure the customer must fix
 * waits the long end, and the sync recovers by itself once it is fixed. Time is controlled.
 */
import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, runCron } from '../support/directory'
import {
  CONTOSO,
  controlTime,
  finishRunOnClock,
  mutate,
  pullTenant,
  setFaults,
  syncRuns,
} from '../support/graph'

const MIN = 60_000
const HOUR = 60 * MIN
const START = Date.parse('2031-04-01T08:00:00.000Z')

/** Every Graph call fails with a 500: each run fails on its first request. */
const BROKEN = { failPath: { contains: '/groups', status: 500, times: 1000 } }

describe('Entra pull sync: retries of failed runs', () => {
  it('Should retry a failed run after 5 min, 15 min, 1 h, then the interval, on the alarm', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant({ intervalHours: 2 })
    const setTime = controlTime(START)
    await setFaults(directory, BROKEN)
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const stub = env.TENANT_WRITER.getByName(tenant.id)
    let failedAt = Date.parse(
      (await finishRunOnClock(tenant.id, instanceId, setTime)).finishedAt ?? ''
    )
    for (const delay of [5 * MIN, 15 * MIN, HOUR, 2 * HOUR, 2 * HOUR]) {
      const view = await syncRuns(tenant.id, instanceId)
      expect(view.runs[0]).toMatchObject({ status: 'failed', failureKind: 'transient' })
      expect(view.nextRunAt).toBe(new Date(failedAt + delay).toISOString())
      expect(view.runs[0]?.retryAt).toBe(view.nextRunAt)
      await setTime(failedAt + delay - MIN)
      await runDurableObjectAlarm(stub)
      expect((await syncRuns(tenant.id, instanceId)).runs).toHaveLength(view.runs.length)
      await setTime(failedAt + delay)
      await runDurableObjectAlarm(stub)
      const retry = await finishRunOnClock(tenant.id, instanceId, setTime)
      expect(retry).toMatchObject({ trigger: 'retry', startedAt: view.nextRunAt })
      failedAt = Date.parse(retry.finishedAt ?? '')
    }
    await setFaults(directory, {})
    await setTime(failedAt + 2 * HOUR)
    await runDurableObjectAlarm(stub)
    const recovered = await finishRunOnClock(tenant.id, instanceId, setTime)
    expect(recovered).toMatchObject({ status: 'succeeded', trigger: 'retry', retryAt: null })
    const after = await syncRuns(tenant.id, instanceId)
    expect(after.runs.map((r) => r.trigger)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'manual',
    ])
    expect(after.nextRunAt).toBe(new Date(Date.parse(recovered.startedAt) + 2 * HOUR).toISOString())
  })

  it('Should retry a run the customer must fix at the long end, by the cron too, and recover', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant({ intervalHours: 24 })
    const setTime = controlTime(START)
    await mutate(directory, [{ op: 'setClientSecret', clientSecret: 'rotated' }])
    await runCron(new Date(START))
    const failed = await finishRunOnClock(tenant.id, instanceId, setTime)
    expect(failed).toMatchObject({
      status: 'failed',
      trigger: 'schedule',
      failureKind: 'needs-admin',
    })
    const retryAt = Date.parse(failed.finishedAt ?? '') + 4 * HOUR
    expect((await syncRuns(tenant.id, instanceId)).nextRunAt).toBe(new Date(retryAt).toISOString())

    // The customer puts the right secret back in Entra ID; nobody presses "sync now".
    await mutate(directory, [{ op: 'setClientSecret', clientSecret: CONTOSO.clientSecret }])
    await setTime(retryAt - 15 * MIN)
    await runCron(new Date(retryAt - 15 * MIN))
    expect((await syncRuns(tenant.id, instanceId)).runs).toHaveLength(1)
    await setTime(retryAt)
    await runCron(new Date(retryAt))
    const recovered = await finishRunOnClock(tenant.id, instanceId, setTime)
    expect(recovered).toMatchObject({ status: 'succeeded', trigger: 'retry' })
    expect((await syncRuns(tenant.id, instanceId)).nextRunAt).toBe(
      new Date(retryAt + 24 * HOUR).toISOString()
    )
  })

  it('Should show no next run for a disabled instance, and a waiting run’s next attempt', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    const setTime = controlTime(START)
    await setFaults(directory, { throttle: { burst: 1000, retryAfterSeconds: 120 } })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    await runDurableObjectAlarm(env.TENANT_WRITER.getByName(tenant.id))
    const waiting = await syncRuns(tenant.id, instanceId)
    expect(waiting.runs[0]?.status).toBe('running')
    expect(waiting.nextRunAt).toBe(new Date(START + 120_000).toISOString())
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/disable`)
    expect((await syncRuns(tenant.id, instanceId)).nextRunAt).toBeNull()
    await setTime(START + 120_000)
    expect((await finishRunOnClock(tenant.id, instanceId, setTime)).status).toBe('cancelled')
  })
})
