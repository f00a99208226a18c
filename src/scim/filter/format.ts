/**
 * @module Serializes a filter AST back to canonical RFC 7644 §3.4.2.2 text: lowercase keywords,
 * JSON-encoded values, `:` before the attribute name of a URN path, and parentheses only where
 * precedence (`and` over `or`) or a right-nested chain needs them, so that parsing the text gives
 * the same tree. Used in logs and by the parser's round-trip tests.
 */
import type { AttrPath, Filter, FilterValue } from './ast'

/**
 * The canonical text of `filter`. A value path inside a value path has no text form (the grammar
 * forbids nested brackets); it is written anyway, and would not parse back.
 */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttrPath(filter.path)} ${filter.op} ${formatValue(filter.value)}`
    case 'present':
      return `${formatAttrPath(filter.path)} pr`
    case 'not':
      return `not (${formatFilter(filter.filter)})`
    case 'valuePath':
      return `${formatAttrPath(filter.path)}[${formatFilter(filter.filter)}]`
    case 'and':
    case 'or': {
      // Chains parse left-associatively and `and` binds tighter than `or` (RFC 7644 §3.4.2.2).
      const left = filter.kind === 'and' && filter.left.kind === 'or'
      const right = filter.right.kind === 'or' || filter.right.kind === filter.kind
      return `${operand(filter.left, left)} ${filter.kind} ${operand(filter.right, right)}`
    }
  }
}

/** `urn:...:User:name.givenName`; a bare URN (`name: ''`) is written as the URN alone. */
export function formatAttrPath(path: AttrPath): string {
  const urn = path.urn === undefined ? '' : path.name === '' ? path.urn : `${path.urn}:`
  return `${urn}${path.name}${path.sub === undefined ? '' : `.${path.sub}`}`
}

/** JSON text of a value; JSON.stringify escapes quotes, backslashes and lone surrogates. */
const formatValue = (value: FilterValue): string => JSON.stringify(value)

const operand = (filter: Filter, parenthesize: boolean): string =>
  parenthesize ? `(${formatFilter(filter)})` : formatFilter(filter)
