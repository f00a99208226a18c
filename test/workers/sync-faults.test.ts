/**
 * The pull sync under the faults real Graph produces: 429 bursts with Retry-After, 503/504,
 * an access token expiring mid-run, short pages, a run killed between pages, throttling beyond
 * the inline budget (resumed later), and the errors an admin must fix (secret, permission,
 * parent group name), each ending in the right state with a message that says what to do.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { adminJson, hoursFromNow, runCron } from '../support/directory'
import {
  CONTOSO_PRODUCT,
  finishRun,
  latestRun,
  mutate,
  productState,
  pullTenant,
  setFaults,
  stats,
  syncNow,
  type RunView,
} from '../support/graph'
import { admin, scimClient } from '../support/scim'

describe('Entra pull sync under faults', () => {
  it.for([
    ['a 429 burst with Retry-After', { throttle: { burst: 2, retryAfterSeconds: 1 } }, '429'],
    [
      '503s with Retry-After',
      { unavailable: { burst: 2, status: 503, retryAfterSeconds: 1 } },
      '503',
    ],
    ['a 504 without Retry-After', { unavailable: { burst: 1, status: 504 } }, '504'],
  ] as const)(
    'Should ride out %s and end in the right state',
    async ([, faults, status], { expect }) => {
      const { tenant, directory, instanceId } = await pullTenant()
      await setFaults(directory, faults)
      const run = await syncNow(tenant.id, instanceId)
      expect(run.status).toBe('succeeded')
      expect((await stats(directory)).byStatus[status]).toBeGreaterThan(0)
      expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
    }
  )

  it('Should renew a token that expires mid-run', async ({ expect }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    await setFaults(directory, { expireTokensAfterRequests: 3, pageSize: 2 })
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(run.metrics.tokenRequests).toBeGreaterThan(1)
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
  })

  it('Should page through short pages over several checkpointed steps', async ({ expect }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    await setFaults(directory, { pageSize: 1 })
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(run.metrics.steps).toBeGreaterThan(3)
    expect(run.metrics.graphRequests).toBeGreaterThan(20)
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
  })

  it('Should resume a run killed between pages without losing or repeating a page', async ({
    expect,
  }) => {
    const reference = await pullTenant()
    await setFaults(reference.directory, { pageSize: 1 })
    const clean = await syncNow(reference.tenant.id, reference.instanceId)

    const { tenant, directory, instanceId } = await pullTenant()
    await setFaults(directory, { pageSize: 1 })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const stub = env.TENANT_WRITER.getByName(tenant.id)
    for (let kill = 0; kill < 3; kill++) {
      await runInDurableObject(stub, async (instance: { alarm(): Promise<void> }, state) => {
        await instance.alarm()
        state.abort('killed between pages')
      }).catch(() => undefined)
    }
    const midway = await latestRun(tenant.id, instanceId)
    expect(midway.status).toBe('running')
    const run = await finishRun(tenant.id, instanceId)
    expect(run.status).toBe('succeeded')
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
    expect((await stats(directory)).graphRequests).toBe(
      (await stats(reference.directory)).graphRequests
    )
    expect(run.counts).toEqual(clean.counts)
  })

  it('Should wait out throttling beyond the inline budget, then resume', async ({ expect }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    await setFaults(directory, { throttle: { burst: 50, retryAfterSeconds: 120 } })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const waiting: RunView = await finishRun(tenant.id, instanceId, 3)
    expect(waiting).toMatchObject({ status: 'running', attempt: 1 })
    expect(Date.parse(waiting.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(100_000)
    expect(waiting.errors[0]).toMatchObject({
      code: 'TooManyRequests',
      requestId: expect.any(String) as unknown,
    })
    await setFaults(directory, {})
    const run = await syncNow(tenant.id, instanceId)
    expect(run).toMatchObject({ id: waiting.id, status: 'succeeded', attempt: 0 })
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
  })

  it("Should not hold the tenant's SCIM writes while Graph throttles a sync step", async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    // A Retry-After short enough that the step used to sleep it inline, three times in a row.
    await setFaults(directory, { throttle: { burst: 3, retryAfterSeconds: 4 } })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const step = runDurableObjectAlarm(env.TENANT_WRITER.getByName(tenant.id))
    await vi.waitFor(
      async () => {
        expect((await stats(directory)).byStatus['429']).toBeGreaterThan(0)
      },
      { timeout: 5_000, interval: 20 }
    )
    const started = Date.now()
    const created = await scimClient(tenant).post('/Users', { userName: 'walk-in@contoso.com' })
    const tookMs = Date.now() - started
    await step
    expect(created.status).toBe(201)
    expect(tookMs).toBeLessThan(2_000)
    const waiting = await latestRun(tenant.id, instanceId)
    expect(waiting).toMatchObject({ status: 'running', attempt: 1 })
    expect(Date.parse(waiting.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(2_000)
    await setFaults(directory, {})
    expect(await syncNow(tenant.id, instanceId)).toMatchObject({
      id: waiting.id,
      status: 'succeeded',
    })
  })

  it.for([
    ['a wrong client secret', { op: 'setClientSecret', clientSecret: 'rotated' }, /client secret/i],
    [
      'a missing permission',
      { op: 'setPermissions', permissions: ['User.Read.All'] },
      /GroupMember\.Read\.All/,
    ],
  ] as const)(
    'Should stop on %s with a message naming what to fix',
    async ([, command, message], { expect }) => {
      const { tenant, directory, instanceId } = await pullTenant()
      await mutate(directory, [command])
      const run = await syncNow(tenant.id, instanceId)
      expect(run.status).toBe('failed')
      expect(run.errors.at(-1)?.message).toMatch(message)
      expect((await productState(tenant)).users).toBe(0)
    }
  )

  it.for([
    ['a parent that does not exist', 'No Such Group', 'was not found'],
    ['a parent name that several groups share', 'Finance', '2 groups are named "Finance"'],
  ] as const)('Should stop on %s', async ([, groupsParent, message], { expect }) => {
    const { tenant, instanceId } = await pullTenant({ groupsParent })
    const run = await syncNow(tenant.id, instanceId)
    expect(run.status).toBe('failed')
    expect(run.errors.at(-1)?.message).toContain(message)
  })

  it('Should run on the schedule: when never run, then once the interval has passed', async ({
    expect,
  }) => {
    const { tenant, instanceId } = await pullTenant({ intervalHours: 24 })
    await runCron(new Date())
    expect((await finishRun(tenant.id, instanceId)).status).toBe('succeeded')
    const runs = async () =>
      (
        await adminJson<{ runs: RunView[] }>(
          'GET',
          `/tenants/${tenant.id}/instances/${instanceId}/sync/runs`
        )
      ).runs
    await runCron(hoursFromNow(1))
    expect(await runs()).toHaveLength(1)
    await runCron(hoursFromNow(25))
    expect((await finishRun(tenant.id, instanceId)).status).toBe('succeeded')
    expect(await runs()).toHaveLength(2)
  })

  it('Should cancel a run whose instance is disabled, and refuse to start one', async ({
    expect,
  }) => {
    const { tenant, instanceId } = await pullTenant()
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/disable`)
    expect((await finishRun(tenant.id, instanceId)).status).toBe('cancelled')
    expect((await admin('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`)).status).toBe(
      400
    )
  })
})
