/**
 * @module Per-key request limits; over a limit the answer is 429 with Retry-After, which Okta
 * and Entra ID honour by retrying later. The service default holds for each key across the
 * Worker's isolates through the Workers Rate Limiting binding (`KEY_RATE_LIMIT` in
 * wrangler.toml, counted per Cloudflare location). One binding has one limit, so a key's own
 * `rateLimitPerMinute` is counted per isolate on top of it, by a fixed window in memory: it
 * lowers the limit (exactly for a client that one isolate serves), and the binding caps every
 * key at the default.
 */
import { logError } from '../../lib/log'

interface Window {
  start: number
  count: number
}

const WINDOW_MS = 60_000
/** Forget idle keys once this many are tracked, so memory stays bounded. */
const MAX_TRACKED = 10_000
/**
 * The binding's `simple.period` in wrangler.toml. The binding says only "over the limit", not
 * when the window ends: a client told to wait one period is within its limit again.
 */
const KEY_RATE_LIMIT_PERIOD_SECONDS = 60

export class RateLimiter {
  private readonly windows = new Map<string, Window>()

  /** Counts one request; returns seconds to wait when over the limit, else 0. */
  take(key: string, limitPerMinute: number, now: number): number {
    let w = this.windows.get(key)
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.prune(now)
      w = { start: now, count: 0 }
      this.windows.set(key, w)
    }
    if (w.count >= limitPerMinute) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000))
    w.count++
    return 0
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key)
    if (this.windows.size >= MAX_TRACKED) this.windows.clear()
  }
}

export interface LimitedKey {
  id: string
  /** The key's own limit, or null for the service default. */
  rateLimitPerMinute: number | null
}

/**
 * Counts one request of a key against its own limit (in this isolate) and then the service
 * default (across isolates); returns seconds to wait when over either, else 0. The binding is
 * asked only for requests within the key's own limit, so a throttled client does not use up
 * the shared count. Should the binding fail, the request passes: the limit protects the
 * service, and an outage of the counter must not turn into an outage of provisioning.
 */
export async function takeKeyRequest(
  binding: RateLimit,
  isolate: RateLimiter,
  key: LimitedKey,
  now: number
): Promise<number> {
  if (key.rateLimitPerMinute !== null) {
    const wait = isolate.take(key.id, key.rateLimitPerMinute, now)
    if (wait > 0) return wait
  }
  try {
    const { success } = await binding.limit({ key: key.id })
    return success ? 0 : KEY_RATE_LIMIT_PERIOD_SECONDS
  } catch (error) {
    logError(error, { job: 'rate-limit', keyId: key.id })
    return 0
  }
}
