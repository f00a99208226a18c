/**
 * @module A per-key fixed-window request limit. It counts per Worker isolate, so it bounds a
 * runaway client cheaply rather than metering exactly; the answer is 429 with Retry-After,
 * which Okta honours by rescheduling the task.
 */

interface Window {
  start: number
  count: number
}

const WINDOW_MS = 60_000
/** Forget idle keys once this many are tracked, so memory stays bounded. */
const MAX_TRACKED = 10_000

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
