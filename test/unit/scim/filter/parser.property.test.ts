import fc from 'fast-check'
import { describe, it } from 'vitest'
import { ScimError } from '../../../../src/scim/errors'
import type { Filter } from '../../../../src/scim/filter/ast'
import { formatFilter, parseFilter, parsePatchPath } from '../../../../src/scim/filter/parser'
import { filter } from './arbitraries'
import { sloppy, type Pick } from './sloppy'

const GENEROUS = { maxLength: 1_000_000, maxDepth: 1000, maxNodes: 100_000 }

/** Filter-like soup: tokens the grammar knows, glued with or without spaces. */
const FRAGMENTS = [
  '(',
  ')',
  '[',
  ']',
  '"',
  '\\',
  '.',
  ':',
  ' ',
  '  ',
  '\t',
  'and',
  'OR',
  'not',
  'pr',
  'eq',
  'Gt',
  'a',
  'emails',
  '.value',
  'urn:x:y:User',
  ':name',
  '$ref',
  '1',
  '-2.5e3',
  'true',
  'null',
  '"x"',
  '"\\u00e9"',
  '"\\q"',
  'x',
]
const soup = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 })
  .map((parts) => parts.join(''))

/** A valid filter with one fragment inserted, or one character deleted or replaced. */
const mutated = fc
  .tuple(filter(3), fc.nat(), fc.constantFrom('', ...FRAGMENTS), fc.constantFrom(0, 1))
  .map(([ast, at, fragment, cut]) => {
    const text = formatFilter(ast)
    const i = at % (text.length + 1)
    return `${text.slice(0, i)}${fragment}${text.slice(i + cut)}`
  })
const anyText = fc.oneof(
  soup,
  mutated,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 60 })
)

/** 'ok', or the scimType of the ScimError thrown; anything else is rethrown (a failure). */
function outcome(parse: () => unknown): string | undefined {
  try {
    parse()
    return 'ok'
  } catch (error) {
    if (error instanceof ScimError && error.status === 400) return error.scimType
    throw error
  }
}

/** The tree of `text`, or undefined when it is not a filter (a ScimError; others propagate). */
function parsedOrUndefined(text: string): Filter | undefined {
  try {
    return parseFilter(text)
  } catch (error) {
    if (error instanceof ScimError) return undefined
    throw error
  }
}

/** Picks options by cycling through random `choices` (shrinks well, unlike fc.gen). */
function picker(choices: number[]): Pick {
  let next = 0
  return (options) => {
    const choice = choices[next++ % choices.length] ?? 0
    const option = options[choice % options.length]
    if (option === undefined) throw new Error('pick needs at least one option')
    return option
  }
}

describe('parser properties', () => {
  it('Should parse the formatted text of any tree back to the same tree', ({ expect }) => {
    fc.assert(
      fc.property(filter(4), (ast) => {
        expect(parseFilter(formatFilter(ast), GENEROUS)).toStrictEqual(ast)
      }),
      { numRuns: 500 }
    )
  })

  it('Should read any tree written the way clients write it', ({ expect }) => {
    fc.assert(
      fc.property(filter(4), fc.array(fc.nat(), { minLength: 1 }), (ast, choices) => {
        expect(parseFilter(sloppy(ast, picker(choices)), GENEROUS)).toStrictEqual(ast)
      }),
      { numRuns: 500 }
    )
  })

  it('Should only ever answer a tree or invalidFilter for any text', ({ expect }) => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(['ok', 'invalidFilter']).toContain(outcome(() => parseFilter(text)))
      }),
      { numRuns: 2000 }
    )
  })

  it('Should only ever answer a path or invalidPath for any text', ({ expect }) => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(['ok', 'invalidPath']).toContain(outcome(() => parsePatchPath(text)))
      }),
      { numRuns: 2000 }
    )
  })

  it('Should give a fixpoint when formatting what was parsed', ({ expect }) => {
    fc.assert(
      fc.property(fc.oneof(soup, mutated), (text) => {
        const parsed = parsedOrUndefined(text)
        if (parsed !== undefined) expect(parseFilter(formatFilter(parsed))).toStrictEqual(parsed)
      }),
      { numRuns: 2000 }
    )
  })
})
