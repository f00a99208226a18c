/**
 * @module A failure throttle for sign-ins: the first few failures in a window cost nothing, the
 * next ones are slowed (a growing delay before the answer), and past a limit the key is locked
 * for a while. Pure: state in, state out, time passed in.
 */

export interface ThrottlePolicy {
  /** Failures in a window before answers are slowed. */
  freeFailures: number
  /** Failures in a window that lock the key. */
  lockAfter: number
  windowMs: number
  lockMs: number
  /** The slowest a slowed answer gets. */
  maxDelayMs: number
}

export interface ThrottleState {
  failures: number
  windowStartMs: number
  lockedUntilMs: number
}

export const FRESH: ThrottleState = { failures: 0, windowStartMs: 0, lockedUntilMs: 0 }

export type ThrottleVerdict =
  { locked: false; delayMs: number } | { locked: true; retryAfterS: number }

/** The state as of `nowMs`: an expired window or lock starts afresh. */
function current(state: ThrottleState, policy: ThrottlePolicy, nowMs: number): ThrottleState {
  if (state.lockedUntilMs > nowMs) return state
  if (state.lockedUntilMs > 0 || nowMs - state.windowStartMs >= policy.windowMs) return FRESH
  return state
}

/** What an attempt made now must wait for, or that it is refused. */
export function verdict(
  state: ThrottleState,
  policy: ThrottlePolicy,
  nowMs: number
): ThrottleVerdict {
  const s = current(state, policy, nowMs)
  if (s.lockedUntilMs > nowMs)
    return { locked: true, retryAfterS: Math.ceil((s.lockedUntilMs - nowMs) / 1000) }
  const over = s.failures - policy.freeFailures
  return { locked: false, delayMs: over < 0 ? 0 : Math.min(250 * 2 ** over, policy.maxDelayMs) }
}

/** The state after a failure at `nowMs`. */
export function afterFailure(
  state: ThrottleState,
  policy: ThrottlePolicy,
  nowMs: number
): ThrottleState {
  const s = current(state, policy, nowMs)
  const failures = s.failures + 1
  const windowStartMs = s.failures === 0 ? nowMs : s.windowStartMs
  return failures >= policy.lockAfter
    ? { failures, windowStartMs, lockedUntilMs: nowMs + policy.lockMs }
    : { failures, windowStartMs, lockedUntilMs: 0 }
}

/** When a state can be forgotten (nothing about it matters any more). */
export const forgetAt = (state: ThrottleState, policy: ThrottlePolicy): number =>
  Math.max(state.windowStartMs + policy.windowMs, state.lockedUntilMs)
