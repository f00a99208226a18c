/**
 * @module Test helper: fast-check arbitraries for filter ASTs in the parser's normal form, and a
 * "sloppy" writer that spells a tree the way real clients do (odd whitespace and letter case,
 * bare words, `\u` escapes, redundant parentheses, `urn:...:User.attr`, `attr[...].sub op v`).
 */
import fc from 'fast-check'
import type { AttrPath, CompareOp, Filter, FilterValue } from '../../../../src/scim/filter/ast'
import { ACTIVTRAK, CORE_USER, ENTERPRISE } from './builders'

/**
 * Names the grammar cannot tell apart from keywords, and resource words that would read as the
 * end of a schema URN (`urn:...:2.0:User.x`): never generated (the parser never produces them).
 */
const RESERVED = new Set(['and', 'or', 'not', 'user', 'group', 'enterpriseuser'])
const OPS: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']

const name = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,5}$/)
  .filter((n) => !RESERVED.has(n.toLowerCase()))
const subName = fc.oneof(name, fc.constantFrom('$ref', '$REF'))
const urn = fc.constantFrom(ENTERPRISE, CORE_USER, ACTIVTRAK, 'urn:acme:scim:1.0', 'URN:x:y.z')

/** Attribute paths; `$ref` is a name only inside brackets (an element's sub-attribute). */
function attrPath(inBracket: boolean): fc.Arbitrary<AttrPath> {
  return fc
    .record({ urn: fc.option(urn), name: inBracket ? subName : name, sub: fc.option(subName) })
    .map(({ urn: u, name: n, sub }) => ({
      ...(u === null ? {} : { urn: u }),
      name: n,
      ...(sub === null ? {} : { sub }),
    }))
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const tricky = fc.constantFrom('"', '\\', '\\"', '\\u0041', ']', ')', ' and ', '\n', '\u0000', '😀')
const char = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
  tricky
)
const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9@._-]{0,8}$/)

const value: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: char }),
  word,
  fc.integer(),
  // -0 is read back as 0 (it is formatted as "0" anyway).
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
  fc.boolean(),
  fc.constant(null)
)

function leaf(inBracket: boolean): fc.Arbitrary<Filter> {
  const path = attrPath(inBracket)
  return fc.oneof(
    fc
      .record({ path, op: fc.constantFrom(...OPS), value })
      .map((c): Filter => ({ kind: 'compare', ...c })),
    path.map((p): Filter => ({ kind: 'present', path: p }))
  )
}

/** Random trees up to `depth` levels; value paths only outside brackets (no nesting). */
export function filter(depth: number, inBracket = false): fc.Arbitrary<Filter> {
  if (depth === 0) return leaf(inBracket)
  const sub = filter(depth - 1, inBracket)
  const branches: fc.Arbitrary<Filter>[] = [
    leaf(inBracket),
    fc
      .tuple(fc.constantFrom('and' as const, 'or' as const), sub, sub)
      .map(([kind, left, right]): Filter => ({ kind, left, right })),
    sub.map((f): Filter => ({ kind: 'not', filter: f })),
  ]
  if (!inBracket) {
    const inner = filter(depth - 1, true)
    branches.push(
      fc
        .tuple(attrPath(false), inner)
        .map(([path, f]): Filter => ({ kind: 'valuePath', path, filter: f }))
    )
  }
  return fc.oneof(...branches)
}
