/**
 * @module Entry points of the SCIM filter parser: `filter` query parameters and `/.search`
 * bodies (RFC 7644 §3.4.2.2) and PATCH `path` values (RFC 7644 §3.5.2), both turned into the
 * AST of ./ast. Every failure is a ScimError: invalidFilter for filters, invalidPath for paths,
 * with the character position and what was expected.
 */
import type { Filter, PatchPath } from './ast'
import { badRequest, type ScimType } from '../errors'
import { Grammar, type FilterLimits, type Reporter } from './grammar'

export type { FilterLimits } from './grammar'
export { formatFilter } from './format'

/** Limits applied when the caller passes none. */
export const DEFAULT_FILTER_LIMITS: FilterLimits = Object.freeze({
  maxLength: 4096,
  maxDepth: 16,
  maxNodes: 64,
})

/**
 * Parses a filter such as `userName eq "bjensen"` or
 * `emails[type eq "work" and value co "@example.com"] or not (active eq false)`.
 * `emails[type eq "work"].value eq "x"` becomes `emails[type eq "work" and value eq "x"]`.
 * @throws ScimError 400 invalidFilter on a syntax error or when a limit is exceeded.
 */
export function parseFilter(text: string, limits: FilterLimits = DEFAULT_FILTER_LIMITS): Filter {
  const grammar = start(text, limits, reporter('filter', 'invalidFilter'))
  const parsed = grammar.expression({ depth: 0, inBracket: false })
  grammar.expectEnd('and, or or the end of the filter')
  return parsed.filter
}

/**
 * Parses a PATCH path (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`), e.g.
 * `name.givenName`, `emails[type eq "work"].value`, `members[value eq "id"]`. A bare schema URN
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) gives `name: ''`: the whole
 * extension.
 * @throws ScimError 400 invalidPath on a syntax error or when a limit is exceeded.
 */
export function parsePatchPath(
  text: string,
  limits: FilterLimits = DEFAULT_FILTER_LIMITS
): PatchPath {
  const report = reporter('path', 'invalidPath')
  const grammar = start(text, limits, report)
  const word = grammar.token
  if (word.kind !== 'word') return grammar.failAt('expected an attribute path')
  grammar.advance()
  const attr = grammar.readPath(word, { refName: false, urnOnly: true })
  if (grammar.token.kind !== '[') {
    grammar.expectEnd('"[" or the end of the path')
    return { attr }
  }
  if (attr.name === '')
    grammar.failAt('a value filter needs an attribute name, not only a schema URN')
  const filter = grammar.bracket({ depth: 0, inBracket: true }).filter
  const sub = grammar.subAfterBracket()
  grammar.expectEnd('"." and a sub-attribute, or the end of the path')
  return sub === undefined ? { attr, filter } : { attr, filter, sub }
}

/** A grammar over `text` once the length and emptiness checks have passed. */
function start(text: string, limits: FilterLimits, report: Reporter): Grammar {
  if (text.length > limits.maxLength) {
    report.tooComplex(
      `it is ${text.length} characters long; the limit is ${limits.maxLength} (maxLength)`
    )
  }
  const grammar = new Grammar(text, limits, report)
  if (grammar.token.kind === 'end') report.fail(0, `the ${report.noun} is empty`)
  return grammar
}

function reporter(noun: 'filter' | 'path', scimType: ScimType): Reporter {
  const title = noun === 'filter' ? 'Filter' : 'Path'
  return {
    noun,
    fail: (position, message) => {
      throw badRequest(scimType, `Invalid ${noun} at position ${position}: ${message}`)
    },
    tooComplex: (what) => {
      throw badRequest(scimType, `${title} is too complex: ${what}`)
    },
  }
}
