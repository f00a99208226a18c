/**
 * @module When the pull sync tries again (pure). Inside a run: a step that fails on throttling or
 * an outage waits what Graph's `Retry-After` says, and backs off further only while steps fail
 * without progress, so sustained throttling slows a run down but never kills one that is still
 * reading pages. Between runs: a failed run is retried by a new run after 5 min, 15 min, 1 h,
 * then every 4 h (never later than the instance's interval); a failure the customer must fix
 * (credentials, permissions, parent names) waits the long end from the start, but is still
 * retried, so the sync recovers by itself once it is fixed.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

/** Failures in a row with no page or chunk checkpointed in between, before a run gives up. */
export const MAX_TRANSIENT_ATTEMPTS = 8
/** Retry-After is honoured between these bounds: never a hot loop, never a stalled run. */
const MIN_RETRY_WAIT_MS = 1_000
const MAX_RETRY_AFTER_MS = HOUR_MS

/** Exponential backoff for the n-th failure in a row without progress: 30 s, 1 min … 1 h. */
export const backoffMs = (attempt: number): number =>
  Math.min(HOUR_MS, 30_000 * 2 ** Math.max(0, attempt - 1))

/**
 * The wait before the next step after `attempt` failures in a row without progress. The first
 * (and every failure of a step that made progress, which resets the count) waits `Retry-After`
 * as given (bounded); repeated failures without progress wait at least the backoff.
 */
export function stepRetryWaitMs(attempt: number, retryAfterMs: number): number {
  const asked = Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_WAIT_MS, retryAfterMs))
  return attempt <= 1 ? asked : Math.max(asked, backoffMs(attempt - 1))
}

/** Delays before the retry run of the 1st, 2nd, 3rd and later failed runs in a row. */
export const RUN_RETRY_DELAYS_MS: readonly number[] = [
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  HOUR_MS,
  4 * HOUR_MS,
]

/** What a failed run needs: time (throttling, an outage), or the customer to fix something. */
export type FailureKind = 'transient' | 'needs-admin'

/** The delay before a failed run is retried by a new run, capped at the instance's interval. */
export function runRetryDelayMs(
  failuresInARow: number,
  kind: FailureKind,
  intervalMs: number
): number {
  const last = RUN_RETRY_DELAYS_MS.length - 1
  const index = kind === 'needs-admin' ? last : Math.min(Math.max(1, failuresInARow) - 1, last)
  return Math.min(RUN_RETRY_DELAYS_MS[index] ?? 4 * HOUR_MS, intervalMs)
}

/** The parts of an instance's latest run that decide when the next one is due. */
export interface LatestRun {
  status: 'running' | 'succeeded' | 'failed' | 'cancelled'
  startedAt: string
  retryAt: string | null
}

/**
 * When an instance's next run is due (epoch ms): at its retry time after a failure, else a full
 * interval after the last run started; an instance that never ran is due since it was created.
 * Undefined while a run is in progress.
 */
export function nextRunDueMs(
  latest: LatestRun | undefined,
  intervalMs: number,
  createdAt: string
): number | undefined {
  if (!latest) return Date.parse(createdAt)
  if (latest.status === 'running') return undefined
  if (latest.status === 'failed' && latest.retryAt) return Date.parse(latest.retryAt)
  return Date.parse(latest.startedAt) + intervalMs
}
