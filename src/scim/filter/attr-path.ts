/**
 * @module Reads one attribute path word of a filter or PATCH path (RFC 7644 §3.4.2.2 ABNF
 * `attrPath = [URI ":"] ATTRNAME *1subAttr`) into an {@link AttrPath}. Names keep the client's
 * spelling; resolving them against the schemas happens elsewhere.
 */
import type { AttrPath } from './ast'
import { quote, type Fail } from './lexer'

export interface AttrPathOptions {
  /** Inside brackets names are sub-attributes of the element, so `$ref` is a legal name. */
  refName: boolean
  /** A bare schema URN (PATCH path naming a whole extension) gives `name: ''`. */
  urnOnly: boolean
}

/**
 * The last segment of a schema URN (RFC 7643 §8.7): a path ending in one of these is a bare
 * schema URN, and `...:2.0:User.attr` is read as `...:2.0:User:attr` (the ActivTrak guide writes
 * its extension paths with a '.').
 */
const RESOURCE_WORDS = new Set(['user', 'group', 'enterpriseuser'])

const isAlpha = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
const isNameChar = (ch: string): boolean =>
  isAlpha(ch) || (ch >= '0' && ch <= '9') || ch === '-' || ch === '_'

/** RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar). */
const isAttrName = (text: string): boolean =>
  text.length > 0 && isAlpha(text.charAt(0)) && Array.from(text).every(isNameChar)

/** `$ref` (RFC 7643 §2.3.7) is the one name outside ATTRNAME; it only names sub-attributes. */
const isRefName = (text: string): boolean => text.toLowerCase() === '$ref'

/** Whether `text` is the schema-prefix part of a path: `urn:` and something after it. */
const isUrn = (text: string): boolean =>
  text.length > 4 && text.slice(0, 4).toLowerCase() === 'urn:'

/** A path cut into its schema URN (absent when unqualified) and the attribute names after it. */
export interface SchemaSplit {
  urn?: string
  rest: string
}

/**
 * Cuts the schema URN off a fully qualified attribute path (RFC 7644 §3.10): the URN ends at the
 * last ':' (`urn:...:enterprise:2.0:User:manager.value`), or at a '.' right after the URN's
 * resource name (`urn:...:activtrak:2.0:User.tracking`, as the ActivTrak guide writes it). A
 * bare schema URN gives `rest: ''`; a path without ':' has no URN. Undefined when the text has a
 * ':' but what precedes it is not a URN. Never throws: the callers that must report syntax
 * errors (filters, PATCH paths) do so from the parts.
 */
export function splitSchemaPrefix(text: string): SchemaSplit | undefined {
  const colon = text.lastIndexOf(':')
  if (colon < 0) return { rest: text }
  const prefix = text.slice(0, colon)
  if (!isUrn(prefix)) return undefined
  const tail = text.slice(colon + 1)
  const dot = tail.indexOf('.')
  if (!RESOURCE_WORDS.has((dot < 0 ? tail : tail.slice(0, dot)).toLowerCase())) {
    return { urn: prefix, rest: tail }
  }
  if (dot < 0) return { urn: text, rest: '' }
  return { urn: text.slice(0, colon + 1 + dot), rest: tail.slice(dot + 1) }
}

/** Reads `word` (found at index `at`) as an attribute path. */
export function readAttrPath(
  word: string,
  at: number,
  options: AttrPathOptions,
  fail: Fail
): AttrPath {
  const split = splitSchemaPrefix(word)
  if (split === undefined) {
    return fail(
      at,
      `${quote(word)} is not an attribute path: a schema prefix must be a URN such as ` +
        '"urn:ietf:params:scim:schemas:core:2.0:User:"'
    )
  }
  const { urn, rest } = split
  if (urn === undefined) return readNames(word, at, options.refName, fail)
  if (rest !== '') {
    return { urn, ...readNames(rest, at + word.length - rest.length, options.refName, fail) }
  }
  if (urn !== word) return fail(at + word.length, `expected an attribute name after ${quote(word)}`)
  if (options.urnOnly) return { urn, name: '' }
  return fail(
    at + word.length,
    `expected ":" and an attribute name after the schema URN ${quote(word)}`
  )
}

/** `name` or `name.sub` (no schema prefix). */
function readNames(text: string, at: number, refName: boolean, fail: Fail): AttrPath {
  const dot = text.indexOf('.')
  const name = dot < 0 ? text : text.slice(0, dot)
  if (!(isAttrName(name) || (refName && isRefName(name)))) {
    return fail(at, describeBadName(name, text))
  }
  if (dot < 0) return { name }
  if (text.indexOf('.', dot + 1) >= 0) return fail(at, tooNested(text))
  return { name, sub: readSubName(text.slice(dot + 1), at + dot + 1, fail) }
}

/** A sub-attribute name: ATTRNAME or `$ref` (`members.$ref`); there is no deeper level. */
export function readSubName(text: string, at: number, fail: Fail): string {
  if (isAttrName(text) || isRefName(text)) return text
  if (text.includes('.')) return fail(at, tooNested(text))
  return fail(at, describeBadName(text, text))
}

const tooNested = (text: string): string =>
  `${quote(text)} is nested too deep: at most one sub-attribute level (name.sub) is allowed`

function describeBadName(name: string, whole: string): string {
  if (name === '') return `expected an attribute name in ${quote(whole)}`
  if (isRefName(name)) return `"${name}" can only name a sub-attribute, as in "members.$ref"`
  return (
    `${quote(name)} is not a valid attribute name: it must start with a letter and contain only ` +
    'letters, digits, "-" and "_"'
  )
}
