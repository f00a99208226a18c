/**
 * @module Test helper: writes a filter AST the way real clients do (odd whitespace and letter
 * case, bare-word values, `\u` escapes, redundant parentheses, `urn:...:User.attr`,
 * `attr[...].sub op value`), so a property can check the parser reads them all back the same.
 */
import type { AttrPath, Filter, FilterValue } from '../../../../src/scim/filter/ast'

/** Chooses one of `options` (backed by fast-check, so failures shrink). */
export type Pick = <T>(options: readonly T[]) => T

const SPACES = [' ', '  ', '\t', '\r\n', '\u00a0 '] as const
const RESOURCE_END = /:(User|Group|EnterpriseUser)$/i
const NOT_BARE = new Set(['true', 'false', 'null', 'and', 'or', 'not'])

/** Text of `filter` that parseFilter must read back as `filter`. */
export function sloppy(filter: Filter, pick: Pick): string {
  const text = bare(filter, pick)
  return pick([false, false, true]) ? `(${gap(pick)}${text}${gap(pick)})` : text
}

function bare(filter: Filter, pick: Pick): string {
  const sp = pick(SPACES)
  switch (filter.kind) {
    case 'compare': {
      const op = keyword(filter.op, pick)
      return `${path(filter.path, pick)}${sp}${op}${sp}${value(filter.value, pick)}`
    }
    case 'present':
      return `${path(filter.path, pick)}${sp}${keyword('pr', pick)}`
    case 'not':
      return `${keyword('not', pick)}${gap(pick)}(${sloppy(filter.filter, pick)})`
    case 'valuePath':
      return valuePath(filter, pick)
    case 'and':
    case 'or': {
      const left = filter.kind === 'and' && filter.left.kind === 'or'
      const right = filter.right.kind === 'or' || filter.right.kind === filter.kind
      const [l, op, r] = [
        operand(filter.left, left, pick),
        keyword(filter.kind, pick),
        operand(filter.right, right, pick),
      ]
      return `${l}${sp}${op}${sp}${r}`
    }
  }
}

/** `attr[f and sub op v]` may be written `attr[f].sub op v` (as Entra does). */
function valuePath(filter: Filter & { kind: 'valuePath' }, pick: Pick): string {
  const head = `${path(filter.path, pick)}${gap(pick)}[${gap(pick)}`
  const inner = filter.filter
  const tail = inner.kind === 'and' ? inner.right : undefined
  const foldable =
    tail !== undefined &&
    (tail.kind === 'compare' || tail.kind === 'present') &&
    tail.path.urn === undefined &&
    tail.path.sub === undefined
  if (inner.kind !== 'and' || !foldable || !pick([true, false])) {
    return `${head}${sloppy(inner, pick)}${gap(pick)}]`
  }
  const rest = bare({ ...tail, path: { name: '' } }, pick)
  return `${head}${sloppy(inner.left, pick)}${gap(pick)}]${gap(pick)}.${tail.path.name}${rest}`
}

function operand(filter: Filter, parenthesize: boolean, pick: Pick): string {
  return parenthesize ? `(${gap(pick)}${sloppy(filter, pick)}${gap(pick)})` : sloppy(filter, pick)
}

function path(p: AttrPath, pick: Pick): string {
  if (p.name === '') return '' // the folded `].sub` has its name written already
  const dot = p.urn !== undefined && RESOURCE_END.test(p.urn) && pick([true, false])
  const urn = p.urn === undefined ? '' : `${p.urn}${dot ? '.' : ':'}`
  return `${urn}${p.name}${p.sub === undefined ? '' : `.${p.sub}`}`
}

function value(v: FilterValue, pick: Pick): string {
  if (typeof v === 'number') return pick([JSON.stringify(v), JSON.stringify(v).toUpperCase()])
  if (typeof v !== 'string') return keyword(String(v), pick)
  const safe = /^[A-Za-z][A-Za-z0-9@._-]*$/.test(v) && !NOT_BARE.has(v.toLowerCase())
  return pick(safe ? [v, JSON.stringify(v)] : [JSON.stringify(v), escapeAll(v)])
}

/** Every character outside printable ASCII, and `/`, as a JSON escape. */
function escapeAll(v: string): string {
  const units = Array.from({ length: v.length }, (_, i) => v.charCodeAt(i))
  const escaped = units.map((code) => {
    const ch = String.fromCharCode(code)
    if (ch === '"' || ch === '\\') return `\\${ch}`
    if (ch === '/') return '\\/'
    return code >= 0x20 && code < 0x7f ? ch : `\\u${code.toString(16).padStart(4, '0')}`
  })
  return `"${escaped.join('')}"`
}

const keyword = (word: string, pick: Pick): string =>
  pick([word, word.toUpperCase(), `${word.charAt(0).toUpperCase()}${word.slice(1)}`])

/** Whitespace where the grammar needs none (next to brackets and parentheses). */
const gap = (pick: Pick): string => pick(['', ' ', '\t'])
