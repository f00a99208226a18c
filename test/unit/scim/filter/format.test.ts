import { describe, it } from 'vitest'
import type { Filter } from '../../../../src/scim/filter/ast'
import { formatAttrPath, formatFilter } from '../../../../src/scim/filter/format'
import { ENTERPRISE, and, at, cmp, not, or, pr, urnAt, vp } from './builders'

const [a1, b2, c3] = [cmp('a', 'eq', 1), cmp('b', 'eq', 2), cmp('c', 'eq', 3)]

describe('formatFilter', () => {
  it.for<[string, Filter, string]>([
    ['a string', cmp('userName', 'eq', 'bjensen'), 'userName eq "bjensen"'],
    ['quotes and backslashes', cmp('a', 'co', 'q"b\\c'), 'a co "q\\"b\\\\c"'],
    ['control characters', cmp('a', 'eq', 'x\ny\u0001'), 'a eq "x\\ny\\u0001"'],
    ['a lone surrogate', cmp('a', 'eq', '\ud800'), 'a eq "\\ud800"'],
    ['numbers', and(cmp('a', 'gt', -1.5), cmp('b', 'lt', 1e21)), 'a gt -1.5 and b lt 1e+21'],
    ['literals', or(cmp('a', 'eq', true), cmp('b', 'ne', null)), 'a eq true or b ne null'],
    ['presence', pr(at('name', 'givenName')), 'name.givenName pr'],
    ['a URN path', pr(urnAt(ENTERPRISE, 'manager', 'value')), `${ENTERPRISE}:manager.value pr`],
    ['and under or', or(a1, and(b2, c3)), 'a eq 1 or b eq 2 and c eq 3'],
    ['or under and', and(or(a1, b2), c3), '(a eq 1 or b eq 2) and c eq 3'],
    ['or on the right of and', and(a1, or(b2, c3)), 'a eq 1 and (b eq 2 or c eq 3)'],
    ['a left chain', and(and(a1, b2), c3), 'a eq 1 and b eq 2 and c eq 3'],
    ['a right-nested and', and(a1, and(b2, c3)), 'a eq 1 and (b eq 2 and c eq 3)'],
    ['a right-nested or', or(a1, or(b2, c3)), 'a eq 1 or (b eq 2 or c eq 3)'],
    ['not', and(not(or(a1, b2)), c3), 'not (a eq 1 or b eq 2) and c eq 3'],
    [
      'a value path',
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))),
      'emails[type eq "work" and value eq "x"]',
    ],
  ])('Should format %s', ([, filter, text], { expect }) => {
    expect(formatFilter(filter)).toBe(text)
  })

  it('Should write a bare schema URN as the URN alone', ({ expect }) => {
    expect(formatAttrPath({ urn: ENTERPRISE, name: '' })).toBe(ENTERPRISE)
  })
})
