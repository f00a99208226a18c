/**
 * The isolate's side of the shared per-key count: the binding is asked for one unit per block
 * of REQUESTS_PER_UNIT requests, and once it refuses, so is every request that asks after.
 */
import { describe, it } from 'vitest'
import { RateLimiter, REQUESTS_PER_UNIT } from '../../../src/domain/rate-limit'

/** A binding stand-in that grants `units` units, then refuses, and counts its calls. */
function binding(units: number) {
  const state = { calls: 0 }
  const ask = async (): Promise<boolean> => {
    await Promise.resolve()
    state.calls++
    return state.calls <= units
  }
  return { state, ask }
}

describe('RateLimiter.takeShared', () => {
  it('Should ask the binding once per block of requests', async ({ expect }) => {
    const limiter = new RateLimiter()
    const { state, ask } = binding(100)
    for (let i = 0; i < 3 * REQUESTS_PER_UNIT; i++) {
      expect(await limiter.takeShared('k', ask)).toBe(true)
    }
    expect(state.calls).toBe(3)
    expect(await limiter.takeShared('k', ask)).toBe(true)
    expect(state.calls).toBe(4)
  })

  it('Should stop at the units granted, give or take the block of a refused unit', async ({
    expect,
  }) => {
    const limiter = new RateLimiter()
    const { state, ask } = binding(2)
    const burst = await Promise.all(
      Array.from({ length: 3 * REQUESTS_PER_UNIT }, () => limiter.takeShared('k', ask))
    )
    // Three blocks asked for, the third refused: its asker is refused, and the requests that
    // took from its block before the answer came passed.
    expect(state.calls).toBe(3)
    expect(burst.filter((ok) => !ok)).toHaveLength(1)
    // After the refusal, every request asks again and is refused.
    const after = await Promise.all([1, 2, 3].map(() => limiter.takeShared('k', ask)))
    expect(after).toEqual([false, false, false])
  })

  it('Should count each key apart', async ({ expect }) => {
    const limiter = new RateLimiter()
    const { ask } = binding(1)
    expect(await limiter.takeShared('a', ask)).toBe(true)
    expect(await limiter.takeShared('b', ask)).toBe(false)
    expect(await limiter.takeShared('a', ask)).toBe(true)
  })
})
