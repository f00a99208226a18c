/**
 * The pull sync under sustained throttling: Graph answers a steady budget of requests per window
 * and 429 + Retry-After beyond it. A run that keeps reading pages between the 429s must go on,
 * waiting what Retry-After says, and finish in about the time the budget allows, on the run's
 * own clock (the service's clock and the directory's are controlled together).
 */
import { describe, it } from 'vitest'
import { adminJson } from '../support/directory'
import {
  CONTOSO_PRODUCT,
  controlTime,
  finishRunOnClock,
  productState,
  pullTenant,
  setFaults,
  stats,
} from '../support/graph'

const BUDGET = { requests: 5, windowSeconds: 10 }
/** Any fixed point ahead of the real clock, so no real alarm fires in between. */
const START = Date.parse('2031-03-01T09:00:00.000Z')

describe('Entra pull sync under sustained throttling', () => {
  it('Should finish under a budget of 5 requests per 10 s in about the time the budget allows', async ({
    expect,
  }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    const setTime = controlTime(START, directory)
    await setTime(START)
    // One-item pages make the directory need about 25 requests: five windows of the budget.
    await setFaults(directory, { pageSize: 1, budget: BUDGET })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const run = await finishRunOnClock(tenant.id, instanceId, setTime)

    expect(run.status).toBe('succeeded')
    expect(run.errors.map((e) => e.code)).toContain('TooManyRequests')
    const graph = await stats(directory)
    const answered = graph.byStatus['200'] ?? 0
    expect(answered).toBeGreaterThanOrEqual(18)
    expect(answered).toBeLessThanOrEqual(30)
    const windows = Math.ceil(answered / BUDGET.requests)
    const durationMs = Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt)
    expect(durationMs).toBeGreaterThanOrEqual((windows - 1) * BUDGET.windowSeconds * 1000)
    expect(durationMs).toBeLessThanOrEqual(windows * BUDGET.windowSeconds * 1000)
    // One 429 per window at most: every wait was the one Graph asked for.
    expect(graph.byStatus['429']).toBeLessThanOrEqual(windows)
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
  })

  it('Should still give up after repeated failures without progress', async ({ expect }) => {
    const { tenant, directory, instanceId } = await pullTenant()
    const setTime = controlTime(START, directory)
    await setTime(START)
    await setFaults(directory, { throttle: { burst: 1000, retryAfterSeconds: 10 } })
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const run = await finishRunOnClock(tenant.id, instanceId, setTime)

    expect(run.status).toBe('failed')
    expect(run.errors.at(-1)?.message).toMatch(/^Gave up after 8 attempts without progress: /)
    // Retry-After first, then backoff while nothing moves: 10 s, 30 s, 1 min … 32 min.
    const durationMs = Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt)
    expect(durationMs).toBe(10_000 + 30_000 * (1 + 2 + 4 + 8 + 16 + 32 + 64))
  })
})
