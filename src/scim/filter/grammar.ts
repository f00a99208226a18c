/**
 * @module Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (figure 1), shared
 * by filters and PATCH paths. Precedence follows §3.4.2.2: parentheses, then `not`, then `and`,
 * then `or`; chains of one operator associate to the left.
 *
 * Nesting is checked on the way down (before recursing), so the recursion depth is bounded by
 * `maxDepth` whatever the input; node counts are checked as nodes are built.
 */
import type { AttrPath, CompareOp, Filter, FilterValue } from './ast'
import { readAttrPath, readSubName, type AttrPathOptions } from './attr-path'
import { isLogicalWord, readWordValue } from './comp-value'
import { Lexer, excerpt, quote, type Fail, type Token } from './lexer'

/** Bounds on what a client may send (checked while parsing). */
export interface FilterLimits {
  /** Characters in the filter text. */
  readonly maxLength: number
  /** Nesting levels: each parenthesized group, `not`, value filter and and/or inside another. */
  readonly maxDepth: number
  /** Expressions in the tree (comparisons, presence tests, and, or, not, value paths). */
  readonly maxNodes: number
}

/** Where and how syntax errors and limit violations are reported. */
export interface Reporter {
  /** `filter` or `path`, used in messages ("the end of the filter"). */
  readonly noun: string
  readonly fail: Fail
  /** Throws the "too complex" error; `what` says which limit and its value. */
  readonly tooComplex: (what: string) => never
}

/** A parsed expression and its nesting height (0 for a comparison). */
export interface Parsed {
  filter: Filter
  height: number
}

/** Nesting levels opened so far, and whether we are inside `[...]`. */
export interface Scope {
  depth: number
  inBracket: boolean
}

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
])
const isCompareOp = (word: string): word is CompareOp => COMPARE_OPS.has(word)
const OPERATOR_LIST = '(eq, ne, co, sw, ew, gt, ge, lt, le, pr)'
const VALUE_EXPECTED = 'a value (a "string", number, true, false or null)'

/** One parse of one text: holds the current token (LL(1)) and the node count. */
export class Grammar {
  private tok: Token
  private nodes = 0
  private readonly lexer: Lexer

  constructor(
    private readonly source: string,
    private readonly limits: FilterLimits,
    private readonly report: Reporter
  ) {
    this.lexer = new Lexer(source, report.fail)
    this.tok = this.lexer.next()
  }

  get token(): Token {
    return this.tok
  }

  advance(): Token {
    const current = this.tok
    this.tok = this.lexer.next()
    return current
  }

  /** FILTER: an `or` chain of `and` chains of unary expressions. */
  expression(scope: Scope): Parsed {
    return this.chain('or', scope, (s) => this.chain('and', s, (u) => this.unary(u)))
  }

  /** `[` valFilter `]` with the current token on `[`; the height includes the bracket level. */
  bracket(scope: Scope): Parsed {
    const open = this.advance()
    const inner = this.expression({ depth: this.enter(scope), inBracket: true })
    if (this.tok.kind !== ']') {
      this.failAt(`expected and, or or "]" to close the "[" at position ${open.start}`)
    }
    this.advance()
    return this.measured(inner.filter, inner.height + 1)
  }

  /** `.subAttr` right after `]`, if present. */
  subAfterBracket(): string | undefined {
    const tok = this.tok
    if (tok.kind !== 'word' || !tok.value.startsWith('.')) return undefined
    this.advance()
    return readSubName(tok.value.slice(1), tok.start + 1, this.report.fail)
  }

  /** The attribute path spelled by the word token `word`. */
  readPath(word: Token, options: AttrPathOptions): AttrPath {
    return readAttrPath(word.value, word.start, options, this.report.fail)
  }

  /** Fails unless the input is exhausted; `expected` says what could have come instead. */
  expectEnd(expected: string): void {
    const tok = this.tok
    if (tok.kind === 'end') return
    if (tok.kind === ')' || tok.kind === ']') {
      const open = tok.kind === ')' ? '(' : '['
      this.report.fail(tok.start, `unexpected "${tok.kind}" without a matching "${open}"`)
    }
    this.failAt(`expected ${expected}`)
  }

  /** Fails at the current token, saying what was found there. */
  failAt(message: string): never {
    return this.report.fail(this.tok.start, `${message}, found ${this.describe(this.tok)}`)
  }

  private chain(op: 'and' | 'or', scope: Scope, operand: (s: Scope) => Parsed): Parsed {
    const first = operand(scope)
    if (!this.atKeyword(op)) return first
    let { filter, height } = first
    while (this.atKeyword(op)) {
      this.advance()
      const right = operand(scope)
      filter = this.node({ kind: op, left: filter, right: right.filter })
      height = Math.max(height, right.height)
    }
    return this.measured(filter, height + 1)
  }

  private unary(scope: Scope): Parsed {
    const tok = this.tok
    if (tok.kind === '(') return this.group(scope)
    const word = tok.kind === 'word' ? tok.value.toLowerCase() : ''
    if (word === 'not') return this.negation(scope)
    if (tok.kind === 'word' && word !== 'and' && word !== 'or') return this.attrExp(scope)
    return this.failAt('expected an attribute path, "(" or "not"')
  }

  private group(scope: Scope): Parsed {
    const open = this.advance()
    const inner = this.expression({ ...scope, depth: this.enter(scope) })
    this.close(open)
    return this.measured(inner.filter, inner.height + 1)
  }

  /** RFC 7644 §3.4.2.2: `not` always takes a parenthesized filter. */
  private negation(scope: Scope): Parsed {
    this.advance()
    if (this.tok.kind !== '(') this.failAt('expected "(" after "not"')
    const open = this.advance()
    const inner = this.expression({ ...scope, depth: this.enter(scope) })
    this.close(open)
    return this.measured(this.node({ kind: 'not', filter: inner.filter }), inner.height + 1)
  }

  private close(open: Token): void {
    if (this.tok.kind !== ')') {
      this.failAt(`expected and, or or ")" to close the "(" at position ${open.start}`)
    }
    this.advance()
  }

  private attrExp(scope: Scope): Parsed {
    const word = this.advance()
    const path = this.readPath(word, { refName: scope.inBracket, urnOnly: false })
    if (this.tok.kind !== '[') return { filter: this.comparison(path, word.value), height: 0 }
    if (scope.inBracket) this.failAt('nested brackets are not allowed inside a value filter')
    return this.valuePath(path, word.value, scope)
  }

  /**
   * `attr[filter]`, or `attr[filter].sub op value` as Entra sends it: the trailing comparison is
   * folded into the bracket filter (`attr[filter and sub op value]`) so that both must hold for
   * the same element.
   */
  private valuePath(path: AttrPath, text: string, scope: Scope): Parsed {
    const inner = this.bracket(scope)
    const sub = this.subAfterBracket()
    if (sub === undefined) {
      this.rejectOperatorAfterBracket(text)
      return {
        filter: this.node({ kind: 'valuePath', path, filter: inner.filter }),
        height: inner.height,
      }
    }
    const tail = this.comparison({ name: sub }, `${text}[…].${sub}`)
    const folded = this.node<Filter>({ kind: 'and', left: inner.filter, right: tail })
    // The folded comparison joins an `and` chain already inside the brackets.
    const height = inner.filter.kind === 'and' ? inner.height : inner.height + 1
    return this.measured(this.node({ kind: 'valuePath', path, filter: folded }), height)
  }

  /** `op value` or `pr` after the attribute path `path` (spelled `text`). */
  private comparison(path: AttrPath, text: string): Filter {
    const opToken = this.tok
    const op = opToken.kind === 'word' ? opToken.value.toLowerCase() : ''
    if (op === 'pr') {
      this.advance()
      this.rejectValueAfterPr()
      return this.node({ kind: 'present', path })
    }
    if (!isCompareOp(op)) {
      return this.failAt(`expected a comparison operator ${OPERATOR_LIST} after ${quote(text)}`)
    }
    this.advance()
    const value = this.value(`${text} ${opToken.value}`)
    return this.node({ kind: 'compare', path, op, value })
  }

  /** `emails[type eq "work"] eq "x"`: the comparison needs a sub-attribute to apply to. */
  private rejectOperatorAfterBracket(text: string): void {
    const op = this.tok.kind === 'word' ? this.tok.value.toLowerCase() : ''
    if (isCompareOp(op) || op === 'pr') {
      const example = quote(`${text}[…].value ${op}`)
      this.failAt(`expected "." and a sub-attribute between "]" and "${op}" (e.g. ${example})`)
    }
  }

  private rejectValueAfterPr(): void {
    const tok = this.tok
    const word = tok.kind === 'word' ? tok.value.toLowerCase() : ''
    if (tok.kind === 'string' || (tok.kind === 'word' && word !== 'and' && word !== 'or')) {
      this.failAt('"pr" (present) takes no value')
    }
  }

  /** compValue (RFC 7644 §3.4.2.2): a JSON string, or a word (see ./comp-value). */
  private value(after: string): FilterValue {
    const tok = this.tok
    if (tok.kind === 'string') return this.advance().value
    if (tok.kind !== 'word' || isLogicalWord(tok.value)) {
      return this.failAt(`expected ${VALUE_EXPECTED} after ${quote(after)}`)
    }
    this.advance()
    return readWordValue(tok.value, tok.start, this.report.fail)
  }

  private atKeyword(word: string): boolean {
    return this.tok.kind === 'word' && this.tok.value.toLowerCase() === word
  }

  /** The depth of a new nesting level opened in `scope`, failing fast above the limit. */
  private enter(scope: Scope): number {
    const depth = scope.depth + 1
    if (depth > this.limits.maxDepth) this.tooDeep()
    return depth
  }

  private measured(filter: Filter, height: number): Parsed {
    if (height > this.limits.maxDepth) this.tooDeep()
    return { filter, height }
  }

  private tooDeep(): never {
    return this.report.tooComplex(`it nests deeper than ${this.limits.maxDepth} levels (maxDepth)`)
  }

  private node<F extends Filter>(filter: F): F {
    this.nodes++
    if (this.nodes > this.limits.maxNodes) {
      this.report.tooComplex(`it has more than ${this.limits.maxNodes} expressions (maxNodes)`)
    }
    return filter
  }

  private describe(tok: Token): string {
    if (tok.kind === 'end') return `the end of the ${this.report.noun}`
    const raw = this.source.slice(tok.start, tok.end)
    return tok.kind === 'string' ? `the string ${excerpt(raw)}` : quote(raw)
  }
}
