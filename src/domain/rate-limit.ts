/**
 * @module Per-key request limits; over a limit the answer is 429 with Retry-After, which Okta
 * and Entra ID honour by retrying later. The service default holds for each key across the
 * Worker's isolates through the Workers Rate Limiting binding (`KEY_RATE_LIMIT` in
 * wrangler.toml, counted per Cloudflare location). One binding has one limit, so a key's own
 * `rateLimitPerMinute` is counted on top of it by a fixed window in memory, in each isolate and
 * in the tenant's object for the writes it judges: it lowers the limit (exactly for a client
 * that one isolate serves), and the binding caps every key at the default.
 *
 * The binding counts a key's requests in blocks of REQUESTS_PER_UNIT: the request that finds
 * its isolate's block of a key used up asks the binding for one unit, and the next requests take
 * the rest of that block while it waits for the answer (a request cannot wait on another's
 * call). So the binding's limit is the default divided by REQUESTS_PER_UNIT, a busy key costs one
 * call per block instead of one per request, a block an isolate does not use up is counted all
 * the same, and a refused unit lets at most REQUESTS_PER_UNIT - 1 requests through before its
 * answer comes (the binding's own count is approximate to the same degree); after a refusal,
 * each request asks for itself again.
 */
import { logError } from '../lib/log'

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

/** Requests one unit of the binding's count stands for (wrangler.toml's limit is per unit). */
export const REQUESTS_PER_UNIT = 100
/** A key whose last unit asked for was refused. */
const REFUSED = -1

export class RateLimiter {
  private readonly windows = new Map<string, Window>()
  /**
   * Requests of each key this isolate may still let through on the units it asked for, or
   * REFUSED after the binding refused one.
   */
  private readonly blocks = new Map<string, number>()

  /**
   * Lets one request of a key through the shared count: from the block in hand, else by asking
   * `askUnit` for the next block, which the requests after it start taking at once, unless the
   * last unit asked for was refused: then each request asks for itself until one is granted.
   * False when the binding refuses.
   */
  async takeShared(key: string, askUnit: () => Promise<boolean>): Promise<boolean> {
    const left = this.blocks.get(key) ?? 0
    if (left > 0) {
      this.blocks.set(key, left - 1)
      return true
    }
    if (this.blocks.size >= MAX_TRACKED) this.blocks.clear()
    const refused = left === REFUSED
    if (!refused) this.blocks.set(key, REQUESTS_PER_UNIT - 1)
    const granted = await askUnit()
    const now = this.blocks.get(key) ?? 0
    if (!granted) this.blocks.set(key, REFUSED)
    else if (refused) this.blocks.set(key, Math.max(0, now) + REQUESTS_PER_UNIT - 1)
    return granted
  }

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
 * default (across isolates, in blocks); returns seconds to wait when over either, else 0. The
 * binding is asked only for requests within the key's own limit, so a throttled client does not
 * use up the shared count. Should the binding fail, the block is granted: the limit protects
 * the service, and an outage of the counter must not turn into an outage of provisioning.
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
  const askUnit = async (): Promise<boolean> => {
    try {
      return (await binding.limit({ key: key.id })).success
    } catch (error) {
      logError(error, { job: 'rate-limit', keyId: key.id })
      return true
    }
  }
  return (await isolate.takeShared(key.id, askUnit)) ? 0 : KEY_RATE_LIMIT_PERIOD_SECONDS
}
