/**
 * @module Deterministic fault injection for one fake directory: throttling (429 + Retry-After,
 * docs/graph-sync.md §8), a steady request budget (Graph's resource-unit limit over a sliding
 * window), 503/504 bursts, targeted failures, short pages and short-lived tokens. No randomness:
 * "every: 3" fails the 3rd, 6th, … Graph request counted since the faults were set, and the budget
 * reads the directory's clock (which a test may pin).
 */
import { z } from 'zod'
import { codeForStatus, GraphProblem } from './wire.ts'

const count = z.number().int().nonnegative()
const positive = z.number().int().positive()

export const faultsSchema = z.strictObject({
  /** 429 TooManyRequests: the next `burst` Graph requests, then every `every`-th one. */
  throttle: z
    .strictObject({
      every: positive.optional(),
      burst: count.optional(),
      retryAfterSeconds: z.number().nonnegative(),
    })
    .optional(),
  /**
   * At most `requests` Graph requests are answered per sliding `windowSeconds`; the others get
   * 429 with Retry-After = whole seconds until the oldest answered request leaves the window.
   * Refused requests do not use the budget.
   */
  budget: z.strictObject({ requests: positive, windowSeconds: positive }).optional(),
  /** The next `burst` Graph requests answer 503/504 (Retry-After only when given). */
  unavailable: z
    .strictObject({
      burst: count,
      status: z.union([z.literal(503), z.literal(504)]),
      retryAfterSeconds: z.number().nonnegative().optional(),
    })
    .optional(),
  /** expires_in of newly issued tokens; they really expire on the fake's clock. */
  tokenLifetimeSeconds: positive.optional(),
  /** A token is rejected (401, expired) once it has been used for this many Graph calls. */
  expireTokensAfterRequests: positive.optional(),
  /** Pages never hold more than this many items, whatever $top asks for. */
  pageSize: z.number().int().min(1).max(999).optional(),
  /**
   * The next `times` Graph requests whose path+query (as received) contains `contains` fail with
   * `status`; a 429 carries Retry-After = throttle.retryAfterSeconds, else 1.
   */
  failPath: z
    .strictObject({
      contains: z.string().min(1),
      status: z.number().int().min(400).max(599),
      times: positive,
    })
    .optional(),
})

/** Faults as a test or the control API writes them. */
export type Faults = z.input<typeof faultsSchema>

/** Faults plus the counters that make bursts and "every" deterministic. */
export interface FaultState {
  faults: z.output<typeof faultsSchema>
  requests: number
  throttleLeft: number
  unavailableLeft: number
  failPathLeft: number
  /** When the requests the budget answered were made, oldest first (fake clock, ms). */
  answeredAtMs: number[]
}

export function newFaultState(input: Faults = {}): FaultState {
  const faults = faultsSchema.parse(input)
  return {
    faults,
    requests: 0,
    throttleLeft: faults.throttle?.burst ?? 0,
    unavailableLeft: faults.unavailable?.burst ?? 0,
    failPathLeft: faults.failPath?.times ?? 0,
    answeredAtMs: [],
  }
}

const THROTTLE_MESSAGE =
  'Too many requests. The application or user has made too many requests. Please try again later.'
const UNAVAILABLE_MESSAGE: Record<503 | 504, string> = {
  503: 'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which may be specified in a Retry-After header.',
  504: 'The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.',
}

function throttled(seconds: number, throttleScope: string): GraphProblem {
  return new GraphProblem(429, 'TooManyRequests', THROTTLE_MESSAGE, {
    'Retry-After': String(seconds),
    'x-ms-throttle-scope': throttleScope,
    'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
  })
}

function shouldThrottle(state: FaultState): boolean {
  if (state.throttleLeft > 0) {
    state.throttleLeft--
    return true
  }
  const every = state.faults.throttle?.every
  return every !== undefined && state.requests % every === 0
}

/** Seconds until the budget answers again, or undefined when it answers now (and counts it). */
function overBudget(state: FaultState, nowMs: number): number | undefined {
  const budget = state.faults.budget
  if (budget === undefined) return undefined
  const windowMs = budget.windowSeconds * 1000
  const answered = state.answeredAtMs.filter((at) => at > nowMs - windowMs)
  state.answeredAtMs = answered
  const oldest = answered[0]
  if (answered.length < budget.requests || oldest === undefined) {
    answered.push(nowMs)
    return undefined
  }
  return Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000))
}

/**
 * The fault (if any) for the next Graph request. Counts the request, so call it exactly once per
 * authenticated Graph call. `target` is the path plus query as received; `nowMs` is the
 * directory's clock.
 */
export function nextFault(
  state: FaultState,
  target: string,
  throttleScope: string,
  nowMs: number
): GraphProblem | undefined {
  state.requests++
  const { failPath, throttle, unavailable } = state.faults
  if (failPath !== undefined && state.failPathLeft > 0 && target.includes(failPath.contains)) {
    state.failPathLeft--
    if (failPath.status === 429) return throttled(throttle?.retryAfterSeconds ?? 1, throttleScope)
    const message = `Injected failure for ${failPath.contains}.`
    return new GraphProblem(failPath.status, codeForStatus(failPath.status), message)
  }
  if (throttle !== undefined && shouldThrottle(state)) {
    return throttled(throttle.retryAfterSeconds, throttleScope)
  }
  if (unavailable !== undefined && state.unavailableLeft > 0) {
    state.unavailableLeft--
    const { status, retryAfterSeconds } = unavailable
    const headers: Record<string, string> =
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }
    return new GraphProblem(status, codeForStatus(status), UNAVAILABLE_MESSAGE[status], headers)
  }
  const wait = overBudget(state, nowMs)
  return wait === undefined ? undefined : throttled(wait, throttleScope)
}
