/**
 * @module The console's sign-in throttle, one Durable Object per throttled key (an account's email
 * or a client address, both hashed, so no personal data is kept in clear). An object is the one
 * place that sees every failure for its key, whichever isolate or location answered, which a
 * per-isolate counter or the Rate Limiting binding (10 s or 60 s windows, counting every call)
 * cannot give. The object forgets its key once the window and any lock are over.
 */
import { DurableObject } from 'cloudflare:workers'
import { z } from 'zod'
import type { Env } from '../env'
import {
  afterFailure,
  forgetAt,
  FRESH,
  verdict,
  type ThrottlePolicy,
  type ThrottleState,
  type ThrottleVerdict,
} from '../lib/failure-throttle'

const STATE = 'state'
/** What the object stores, parsed on the way back in: a stored shape may predate a change. */
const StateSchema = z.object({
  failures: z.number().int().min(0),
  windowStartMs: z.number(),
  lockedUntilMs: z.number(),
})

export class SignInGuard extends DurableObject<Env> {
  async check(policy: ThrottlePolicy, nowMs: number): Promise<ThrottleVerdict> {
    return verdict(await this.#state(), policy, nowMs)
  }

  /** Counts a failure; answers the verdict for the next attempt. */
  async fail(policy: ThrottlePolicy, nowMs: number): Promise<ThrottleVerdict> {
    const next = afterFailure(await this.#state(), policy, nowMs)
    await this.ctx.storage.put(STATE, next)
    await this.ctx.storage.setAlarm(forgetAt(next, policy))
    return verdict(next, policy, nowMs)
  }

  /** A successful sign-in clears an account's failures. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll()
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll()
  }

  async #state(): Promise<ThrottleState> {
    const parsed = StateSchema.safeParse(await this.ctx.storage.get(STATE))
    return parsed.success ? parsed.data : FRESH
  }
}
