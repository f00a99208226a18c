/**
 * The sign-in throttle's policy: free failures, then growing delays, then a lock that ends.
 */
import { describe, it } from 'vitest'
import {
  afterFailure,
  forgetAt,
  FRESH,
  verdict,
  type ThrottlePolicy,
  type ThrottleState,
} from '../../../src/lib/failure-throttle'

const POLICY: ThrottlePolicy = {
  freeFailures: 2,
  lockAfter: 5,
  windowMs: 60_000,
  lockMs: 120_000,
  maxDelayMs: 800,
}

const failTimes = (n: number, at = 1_000): ThrottleState => {
  let s = FRESH
  for (let i = 0; i < n; i++) s = afterFailure(s, POLICY, at + i)
  return s
}

describe('failure throttle', () => {
  it.for([
    [0, 0],
    [1, 0],
    [2, 250],
    [3, 500],
    [4, 800],
  ] as const)('Should wait after %i failures %i ms', ([failures, delay], { expect }) => {
    expect(verdict(failTimes(failures), POLICY, 2_000)).toEqual({ locked: false, delayMs: delay })
  })

  it('Should lock at the limit and say for how long', ({ expect }) => {
    const locked = failTimes(5)
    expect(verdict(locked, POLICY, 1_004)).toEqual({ locked: true, retryAfterS: 120 })
    expect(verdict(locked, POLICY, 61_004)).toEqual({ locked: true, retryAfterS: 60 })
  })

  it('Should start afresh once the lock or the window is over', ({ expect }) => {
    expect(verdict(failTimes(5), POLICY, 1_004 + 120_000)).toEqual({ locked: false, delayMs: 0 })
    expect(verdict(failTimes(4), POLICY, 1_000 + 60_000)).toEqual({ locked: false, delayMs: 0 })
    expect(afterFailure(failTimes(5), POLICY, 200_000)).toEqual({
      failures: 1,
      windowStartMs: 200_000,
      lockedUntilMs: 0,
    })
  })

  it('Should be forgettable only after its window and lock', ({ expect }) => {
    expect(forgetAt(failTimes(1), POLICY)).toBe(61_000)
    expect(forgetAt(failTimes(5), POLICY)).toBe(1_004 + 120_000)
  })
})
