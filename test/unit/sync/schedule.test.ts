/**
 * When the pull sync tries again: waits inside a run (Retry-After as given, backoff only while
 * steps fail without progress) and the retry runs after a failed run (5 min … 4 h, capped at the
 * interval; the long end for failures the customer must fix), and when the next run is due.
 */
import { describe, it } from 'vitest'
import {
  backoffMs,
  nextRunDueMs,
  runRetryDelayMs,
  stepRetryWaitMs,
} from '../../../src/sync/schedule'

const MIN = 60_000
const HOUR = 60 * MIN

describe('backoffMs', () => {
  it('Should double from 30 s and stop at an hour', ({ expect }) => {
    expect([1, 2, 3, 4, 10, 20].map(backoffMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
    ])
  })
})

describe('stepRetryWaitMs', () => {
  it.for([
    [1, 10_000, 10_000],
    [1, 0, 1_000],
    [1, 5 * HOUR, HOUR],
    [2, 10_000, 30_000],
    [2, 90_000, 90_000],
    [4, 10_000, 120_000],
  ] as const)(
    'Should wait after %i failure(s) without progress and Retry-After %i ms: %i ms',
    ([attempt, retryAfter, wait], { expect }) => {
      expect(stepRetryWaitMs(attempt, retryAfter)).toBe(wait)
    }
  )
})

describe('runRetryDelayMs', () => {
  it.for([
    [1, 'transient', 24, 5 * MIN],
    [2, 'transient', 24, 15 * MIN],
    [3, 'transient', 24, HOUR],
    [4, 'transient', 24, 4 * HOUR],
    [9, 'transient', 24, 4 * HOUR],
    [4, 'transient', 2, 2 * HOUR],
    [1, 'needs-admin', 24, 4 * HOUR],
    [1, 'needs-admin', 1, HOUR],
  ] as const)(
    'Should retry the failed run number %i (%s, interval %i h) after %i ms',
    ([failures, kind, intervalHours, delay], { expect }) => {
      expect(runRetryDelayMs(failures, kind, intervalHours * HOUR)).toBe(delay)
    }
  )
})

describe('nextRunDueMs', () => {
  const created = '2031-01-01T00:00:00.000Z'
  const started = '2031-01-02T00:00:00.000Z'
  it('Should be due since creation when the instance never ran', ({ expect }) => {
    expect(nextRunDueMs(undefined, HOUR, created)).toBe(Date.parse(created))
  })

  it('Should be due at the retry of a failed run, else an interval after the last start', ({
    expect,
  }) => {
    const retryAt = '2031-01-02T00:05:00.000Z'
    expect(nextRunDueMs({ status: 'failed', startedAt: started, retryAt }, HOUR, created)).toBe(
      Date.parse(retryAt)
    )
    for (const status of ['succeeded', 'cancelled'] as const) {
      expect(nextRunDueMs({ status, startedAt: started, retryAt: null }, HOUR, created)).toBe(
        Date.parse(started) + HOUR
      )
    }
    expect(
      nextRunDueMs({ status: 'failed', startedAt: started, retryAt: null }, HOUR, created)
    ).toBe(Date.parse(started) + HOUR)
    expect(
      nextRunDueMs({ status: 'running', startedAt: started, retryAt: null }, HOUR, created)
    ).toBeUndefined()
  })
})
