import { describe, it } from 'vitest'
import { prefixRange, prefixUpperBound } from '../../../../src/storage/filter-sql/prefix'

describe('prefixUpperBound', () => {
  it.for<[string, string | undefined]>([
    ['abc', 'abd'],
    ['ada@', 'adaA'],
    ['70', '71'],
    ['é', 'ê'],
    ['\u{1F600}', '\u{1F601}'],
    ['\uD7FF', '\uE000'],
    ['a\u{10FFFF}', 'b'],
    ['\u{10FFFF}\u{10FFFF}', undefined],
    ['', undefined],
  ])('Should bound strings starting with %j by %j', ([prefix, upper], { expect }) => {
    expect(prefixUpperBound(prefix)).toBe(upper)
  })

  it('Should put every string with the prefix, and none without, inside the range', ({
    expect,
  }) => {
    const prefix = 'ad'
    const upper = prefixUpperBound(prefix) ?? ''
    const inside = (s: string) => s >= prefix && s < upper
    expect(['ad', 'ada', 'ad\u{10FFFF}', 'adz'].every(inside)).toBe(true)
    expect(['ac\u{10FFFF}', 'ae', 'a', 'b'].some(inside)).toBe(false)
  })
})

describe('prefixRange', () => {
  it('Should compare the column with both bounds, or only the lower one when none is above', ({
    expect,
  }) => {
    expect(prefixRange('u.user_name_ci', 'ad')).toEqual({
      sql: '(u.user_name_ci >= ? AND u.user_name_ci < ?)',
      params: ['ad', 'ae'],
    })
    expect(prefixRange('g.display_name_ci', '')).toEqual({
      sql: 'g.display_name_ci >= ?',
      params: [''],
    })
  })
})
