/**
 * @module Tokenizer for SCIM filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2). It produces
 * tokens one at a time, so a hostile input fails at its first bad token, and every loop advances
 * by at least one character: lexing is linear, with no regular expression on unbounded input.
 *
 * A "word" is any run of characters other than whitespace, quotes, parentheses and brackets; the
 * parser decides whether it is a keyword, an operator, a number, an attribute path or a bare
 * value. Strings are JSON strings (RFC 8259 §7).
 */

/** Reports a syntax error at a character index; never returns. */
export type Fail = (position: number, message: string) => never

type TokenKind = '(' | ')' | '[' | ']' | 'string' | 'word' | 'end'

export interface Token {
  kind: TokenKind
  /** Index of the first character of the token in the source. */
  start: number
  /** Index just past the token. */
  end: number
  /** The decoded value of a string; the source text of any other token. */
  value: string
}

/**
 * Whitespace tolerated between tokens: RFC 7644 asks for a single SP, but clients send tabs,
 * newlines and doubled spaces (and NBSP when a filter is pasted from a web page).
 */
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v', '\u00a0'])
const PUNCTUATION = new Set(['(', ')', '[', ']'])

/** The characters a JSON escape may name, and what they stand for (RFC 8259 §7). */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** At most this many characters of client input are echoed in an error detail. */
const EXCERPT_LENGTH = 120

/** `text` cut to a readable length for an error detail. */
export const excerpt = (text: string): string =>
  text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text

/** `text` in double quotes, cut to a readable length, for an error detail. */
export const quote = (text: string): string => `"${excerpt(text)}"`

const ESCAPE_LIST = '\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX'

const isWordChar = (ch: string): boolean =>
  !WHITESPACE.has(ch) && !PUNCTUATION.has(ch) && ch !== '"'

const isHexDigit = (ch: string): boolean =>
  (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')

/** Streams the tokens of `source`; after the last token it answers `end` forever. */
export class Lexer {
  private pos = 0

  constructor(
    private readonly source: string,
    private readonly fail: Fail
  ) {}

  next(): Token {
    const src = this.source
    while (this.pos < src.length && WHITESPACE.has(src.charAt(this.pos))) this.pos++
    const start = this.pos
    if (start >= src.length) return { kind: 'end', start, end: start, value: '' }
    const ch = src.charAt(start)
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      this.pos++
      return { kind: ch, start, end: this.pos, value: ch }
    }
    if (ch === '"') return this.readString(start)
    while (this.pos < src.length && isWordChar(src.charAt(this.pos))) this.pos++
    return { kind: 'word', start, end: this.pos, value: src.slice(start, this.pos) }
  }

  /**
   * A JSON string starting at the quote at `start`. Raw control characters are tolerated (the
   * value is unambiguous); a bad escape or a missing closing quote is an error.
   */
  private readString(start: number): Token {
    const src = this.source
    const parts: string[] = []
    let chunk = start + 1
    let i = chunk
    while (i < src.length) {
      const ch = src.charAt(i)
      if (ch === '"') {
        parts.push(src.slice(chunk, i))
        this.pos = i + 1
        return { kind: 'string', start, end: this.pos, value: parts.join('') }
      }
      if (ch === '\\') {
        parts.push(src.slice(chunk, i))
        const [text, length] = this.readEscape(i)
        parts.push(text)
        i += length
        chunk = i
      } else {
        i++
      }
    }
    return this.fail(start, 'unterminated string: a closing double quote (") is missing')
  }

  /** The escape at `at` (a backslash): its text and how many source characters it uses. */
  private readEscape(at: number): [string, number] {
    const src = this.source
    const ch = src.charAt(at + 1)
    if (at + 1 >= src.length) {
      return this.fail(at, 'unterminated string: it ends with a backslash (\\)')
    }
    const simple = SIMPLE_ESCAPES[ch]
    if (simple !== undefined) return [simple, 2]
    if (ch !== 'u') {
      return this.fail(at, `invalid escape "\\${ch}" in a string; use ${ESCAPE_LIST}`)
    }
    const hex = src.slice(at + 2, at + 6)
    if (hex.length !== 4 || !Array.from(hex).every(isHexDigit)) {
      return this.fail(at, 'invalid escape in a string: \\u must be followed by 4 hex digits')
    }
    return [String.fromCharCode(parseInt(hex, 16)), 6]
  }
}
