import { describe, it } from 'vitest'
import { ScimError } from '../../../../src/scim/errors'
import type { Filter } from '../../../../src/scim/filter/ast'
import {
  DEFAULT_FILTER_LIMITS,
  parseFilter,
  type FilterLimits,
} from '../../../../src/scim/filter/parser'
import { catchScimError } from '../schemas/catch-scim-error'
import { pr, urnAt } from './builders'

const invalidFilter = (detail: string) => ({ status: 400, scimType: 'invalidFilter', detail })

const nest = (n: number, open: string, close: string, inner = 'a pr'): string =>
  `${open.repeat(n)}${inner}${close.repeat(n)}`
const chain = (n: number): string => Array.from({ length: n }, (_, i) => `a${i} pr`).join(' or ')
/** The kind of the parsed filter, or the scimType of the ScimError thrown. */
function kindOrScimType(parse: () => Filter): string | undefined {
  try {
    return parse().kind
  } catch (error) {
    if (error instanceof ScimError) return error.scimType
    throw error
  }
}
const TIGHT: FilterLimits = { maxLength: 100, maxDepth: 3, maxNodes: 5 }

describe('parseFilter limits', () => {
  it('Should export the default limits', ({ expect }) => {
    expect(DEFAULT_FILTER_LIMITS).toStrictEqual({ maxLength: 4096, maxDepth: 16, maxNodes: 64 })
  })

  it.for<[string, string, FilterLimits, string]>([
    [
      'too long',
      `a eq "${'x'.repeat(4090)}"`,
      DEFAULT_FILTER_LIMITS,
      'it is 4097 characters long; the limit is 4096 (maxLength)',
    ],
    [
      'too deep (parentheses)',
      nest(17, '(', ')'),
      DEFAULT_FILTER_LIMITS,
      'it nests deeper than 16 levels (maxDepth)',
    ],
    [
      'too deep (not)',
      nest(17, 'not (', ')'),
      DEFAULT_FILTER_LIMITS,
      'it nests deeper than 16 levels (maxDepth)',
    ],
    [
      'too deep (and inside or)',
      `((a pr or b pr and c pr))`,
      TIGHT,
      'it nests deeper than 3 levels (maxDepth)',
    ],
    ['too deep (value path)', 'e[(((a pr)))]', TIGHT, 'it nests deeper than 3 levels (maxDepth)'],
    [
      'too deep (folded value path)',
      'e[((a pr))].v pr',
      TIGHT,
      'it nests deeper than 3 levels (maxDepth)',
    ],
    [
      'too many nodes',
      chain(33),
      DEFAULT_FILTER_LIMITS,
      'it has more than 64 expressions (maxNodes)',
    ],
    [
      'too many nodes (folded)',
      'e[a pr and b pr].v pr',
      TIGHT,
      'it has more than 5 expressions (maxNodes)',
    ],
    [
      'too long (custom)',
      'a'.repeat(101),
      TIGHT,
      'it is 101 characters long; the limit is 100 (maxLength)',
    ],
  ])('Should reject a filter %s', ([, text, limits, what], { expect }) => {
    expect(catchScimError(() => parseFilter(text, limits))).toEqual(
      invalidFilter(`Filter is too complex: ${what}`)
    )
  })

  it.for<[string, string, FilterLimits, string]>([
    ['4096 characters', `a eq "${'x'.repeat(4089)}"`, DEFAULT_FILTER_LIMITS, 'compare'],
    ['16 parentheses', nest(16, '(', ')'), DEFAULT_FILTER_LIMITS, 'present'],
    ['16 nots', nest(15, 'not (', ')', 'not (a pr)'), DEFAULT_FILTER_LIMITS, 'not'],
    ['64 nodes', chain(32), DEFAULT_FILTER_LIMITS, 'or'],
    ['a flat and chain', chain(32).replaceAll(' or ', ' and '), DEFAULT_FILTER_LIMITS, 'and'],
    ['depth 3 with and inside or', '(a pr or b pr and c pr)', TIGHT, 'or'],
    ['depth 3 with a value path', 'e[((a pr))]', TIGHT, 'valuePath'],
    ['depth 3 with a folded value path', 'e[(a pr)].v pr', TIGHT, 'valuePath'],
  ])('Should accept a filter at the limit: %s', ([, text, limits, kind], { expect }) => {
    expect(parseFilter(text, limits).kind).toBe(kind)
  })

  it('Should fail fast on 100k "(" without overflowing the stack', ({ expect }) => {
    const limits = { maxLength: 1_000_000, maxDepth: 16, maxNodes: 64 }
    expect(catchScimError(() => parseFilter('('.repeat(100_000), limits)).detail).toBe(
      'Filter is too complex: it nests deeper than 16 levels (maxDepth)'
    )
  })

  it.for<[string, string, string]>([
    ['an unterminated string', `a eq "${'\\"'.repeat(250_000)}`, 'invalidFilter'],
    ['a long bare word', `a eq ${'x'.repeat(500_000)} x`, 'invalidFilter'],
    ['a long flat chain', `${'a pr or '.repeat(20_000)}a pr`, 'or'],
    ['many escapes', `a eq "${'\\u00e9'.repeat(80_000)}"`, 'compare'],
  ])('Should handle %s without recursion or backtracking', ([, text, outcome], { expect }) => {
    const limits = { maxLength: 1_000_000, maxDepth: 16, maxNodes: 1_000_000 }
    expect(kindOrScimType(() => parseFilter(text, limits))).toBe(outcome)
  })

  it('Should not count a URN path or folded sub-attribute as nesting', ({ expect }) => {
    const limits = { maxLength: 4096, maxDepth: 1, maxNodes: 64 }
    expect(parseFilter('urn:a:b:User:x.y pr', limits)).toStrictEqual(
      pr(urnAt('urn:a:b:User', 'x', 'y'))
    )
    expect(parseFilter('e[a pr].v pr', { ...limits, maxDepth: 2 }).kind).toBe('valuePath')
  })
})
