import { describe, it } from 'vitest'
import { Lru } from '../../../src/lib/lru'

describe('Lru', () => {
  it('Should evict the least recently used entry beyond its bound', ({ expect }) => {
    const lru = new Lru<string, number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1)
    lru.set('c', 3)
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3])
  })

  it('Should bound the total weight and keep no value heavier than it', ({ expect }) => {
    const lru = new Lru<string, number[]>(10, (v) => v.length)
    lru.set('six', [1, 2, 3, 4, 5, 6])
    lru.set('three', [1, 2, 3])
    lru.set('four', [1, 2, 3, 4])
    expect([lru.has('six'), lru.has('three'), lru.has('four')]).toEqual([false, true, true])
    expect(lru.weight).toBe(7)
    lru.set(
      'huge',
      Array.from({ length: 11 }, () => 0)
    )
    expect(lru.has('huge')).toBe(false)
    expect(lru.weight).toBe(7)
  })

  it('Should count a replaced value once', ({ expect }) => {
    const lru = new Lru<string, number[]>(10, (v) => v.length)
    lru.set('a', [1, 2, 3])
    lru.set('a', [1])
    expect(lru.weight).toBe(1)
    lru.delete('a')
    expect([lru.size, lru.weight]).toEqual([0, 0])
  })
})
