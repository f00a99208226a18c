/**
 * @module compValue of RFC 7644 §3.4.2.2 when it is written as a word rather than a JSON string:
 * `true` / `false` / `null` (any letter case), a JSON number (RFC 8259 §6), or else a bare word
 * read as a string, because clients send `externalId eq jyoung` (it is in Microsoft's docs).
 */
import type { FilterValue } from './ast'
import { quote, type Fail } from './lexer'

const LITERALS: ReadonlyMap<string, FilterValue> = new Map([
  ['true', true],
  ['false', false],
  ['null', null],
])

/** RFC 8259 §6 number; no nested quantifiers, so matching is linear. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/

/** Words that are never a bare value: they mean the operand is missing (`a eq and ...`). */
export const isLogicalWord = (word: string): boolean => {
  const lower = word.toLowerCase()
  return lower === 'and' || lower === 'or' || lower === 'not'
}

/** The value of the word `word` found at index `at`. */
export function readWordValue(word: string, at: number, fail: Fail): FilterValue {
  const lower = word.toLowerCase()
  if (LITERALS.has(lower)) return LITERALS.get(lower) ?? null
  if (!JSON_NUMBER.test(word)) return word
  const number = Number(word)
  if (!Number.isFinite(number)) return fail(at, `the number ${quote(word)} is out of range`)
  // -0 means 0 to every consumer; normalizing keeps the tree canonical.
  return number === 0 ? 0 : number
}
