/**
 * @module The tenant object's judgement of the keys of the SCIM writes the Worker routes to it
 * without reading the key (../http/middleware/key-auth.ts): the Worker's admission
 * (../domain/key-check.ts: the rule, the key's limits, its last use) before the write is queued.
 *
 * The object is the only writer of its tenant's keys, instances and status, so it may remember
 * the key rows it read: it forgets them whenever it forgets what it knows of its tenant (after
 * every unit of work other than a SCIM resource write, before that unit is answered), and a row
 * whose read began before such a forgetting is not kept. So a revoked key, a disabled instance
 * or an offboarded tenant is refused from the moment its change is answered.
 */
import { admitKey, type KeyClaim } from '../domain/key-check'
import { RateLimiter } from '../domain/rate-limit'
import { Lru } from '../lib/lru'
import type { Db } from '../storage/db'
import { getKeyForAuth, type KeyForAuth } from '../storage/repos/instances'
import { touchKey } from '../storage/repos/tenants'

/** Key rows remembered; a tenant has a handful of keys. */
const MAX_KEYS = 1000

/** What judging a key needs from the object. */
export interface GateDeps {
  db: Db
  tenantId: string
  limit: RateLimit
  /** Keeps background work (the last-use write) alive after the answer. */
  waitUntil(p: Promise<unknown>): void
}

export class KeyGate {
  readonly #rows = new Lru<string, KeyForAuth>(MAX_KEYS)
  /** Reads in flight, shared by the writes that arrive meanwhile (after a forgetting, many). */
  readonly #reading = new Map<string, Promise<KeyForAuth | undefined>>()
  readonly #limiter = new RateLimiter()
  #generation = 0

  /** Forgets every key row (a unit of work may have changed keys, instances or the tenant). */
  forget(): void {
    this.#rows.clear()
    this.#reading.clear()
    this.#generation++
  }

  /**
   * Lets a claim's write through, or throws its refusal (401, 403, 429 with its headers);
   * records the key's use at most once a minute.
   */
  async admit(claim: KeyClaim, deps: GateDeps): Promise<void> {
    const generation = this.#generation
    const known = this.#rows.get(claim.keyId)
    const row = known ?? (await this.#read(deps.db, claim.keyId))
    const limits = { binding: deps.limit, limiter: this.#limiter }
    const { key, touchAt } = await admitKey(claim, row, limits, deps.tenantId)
    // A row read (or kept) before a forgetting may be stale: it is used once, not kept.
    if ((!known || touchAt) && generation === this.#generation)
      this.#rows.set(key.id, { ...key, lastUsedAt: touchAt ?? key.lastUsedAt })
    if (touchAt) deps.waitUntil(touchKey(deps.db, key.id, touchAt))
  }

  /** Reads a key row, or joins the read of it already in flight since the last forgetting. */
  #read(db: Db, keyId: string): Promise<KeyForAuth | undefined> {
    let reading = this.#reading.get(keyId)
    if (!reading) {
      const started = getKeyForAuth(db, keyId)
      reading = started
      const done = () => {
        if (this.#reading.get(keyId) === started) this.#reading.delete(keyId)
      }
      started.then(done, done)
      this.#reading.set(keyId, started)
    }
    return reading
  }
}
