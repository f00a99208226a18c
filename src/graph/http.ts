/**
 * @module Inline retries for Graph and token calls (docs/graph-sync.md §8): 429, 503 and 504 (and
 * network errors) wait for `Retry-After` or an exponential back-off and try again, but only while
 * the budget allows (retries per call, one wait, and optionally all the waits of one client);
 * past it the caller gets a `throttled`/`unavailable` failure carrying the wait, so a long sync
 * can checkpoint and resume later instead of holding a worker.
 */
import { GraphError, transientFailure } from './errors'

/** What the client needs from its host; injected so the client stays pure and testable. */
export interface HttpDeps {
  fetch: (request: Request) => Promise<Response>
  /** Epoch milliseconds. */
  now: () => number
  sleep: (ms: number) => Promise<void>
}

export interface RetryPolicy {
  /** Retries after the first attempt, at most. */
  maxInlineRetries: number
  /** A single wait longer than this is not slept inline. */
  maxInlineWaitMs: number
  /** All the waits one client sleeps inline, over all its calls, at most (unset: no bound). */
  maxInlineWaitTotalMs?: number | undefined
}

/** How long one client has slept inline so far; shared by all its calls, token requests too. */
export interface InlineWaits {
  sleptMs: number
}

function sleepsInline(policy: RetryPolicy, waits: InlineWaits, retries: number, wait: number) {
  const total = policy.maxInlineWaitTotalMs ?? Number.POSITIVE_INFINITY
  return (
    retries < policy.maxInlineRetries &&
    wait <= policy.maxInlineWaitMs &&
    waits.sleptMs + wait <= total
  )
}

const RETRYABLE = new Set([429, 503, 504])
const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 60_000

/**
 * How long to wait before retry number `attempt + 1`: `Retry-After` in seconds or as an HTTP
 * date (RFC 9110 §10.2.3), else exponential back-off (1 s, 2 s, 4 s, … capped at 60 s).
 */
export function retryDelayMs(retryAfter: string | null, attempt: number, nowMs: number): number {
  const value = retryAfter?.trim() ?? ''
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = value === '' ? NaN : Date.parse(value)
  if (!Number.isNaN(date)) return Math.max(0, date - nowMs)
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt)
}

async function attempt(deps: HttpDeps, request: Request): Promise<Response | undefined> {
  try {
    return await deps.fetch(request)
  } catch {
    // A network failure is as transient as a 503 (no Retry-After, so back-off applies).
    return undefined
  }
}

/**
 * Sends `make()` until the answer is not retryable, sleeping in between. Throws a GraphError
 * (`throttled` for 429, `unavailable` otherwise) once attempts or the wait exceed the policy,
 * `waits` counting against its total. `what` describes the call for the failure message;
 * `onAttempt` counts every HTTP request.
 */
export async function sendWithRetry(
  make: () => Request,
  policy: RetryPolicy,
  deps: HttpDeps,
  what: string,
  onAttempt: () => void,
  waits: InlineWaits = { sleptMs: 0 }
): Promise<Response> {
  for (let retries = 0; ; retries++) {
    onAttempt()
    const response = await attempt(deps, make())
    if (response !== undefined && !RETRYABLE.has(response.status)) return response
    const wait = retryDelayMs(response?.headers.get('Retry-After') ?? null, retries, deps.now())
    await response?.body?.cancel()
    if (!sleepsInline(policy, waits, retries, wait)) {
      const requestId = response?.headers.get('request-id') ?? undefined
      throw new GraphError(transientFailure(response?.status, wait, requestId, what))
    }
    waits.sleptMs += wait
    await deps.sleep(wait)
  }
}

/** The body as JSON, or undefined when it is empty or not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
