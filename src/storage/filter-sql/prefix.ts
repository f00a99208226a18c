/**
 * @module "Starts with" as a range over a text column, so that SQLite serves it from the
 * column's index instead of testing every row. SQLite compares text (BINARY collation) byte
 * by byte in UTF-8, which is code point order: every string starting with `p` lies in
 * `[p, next(p))`, where `next(p)` is `p` with its last code point incremented.
 */
import type { SqlFragment } from './compare'

const MAX_CODE_POINT = 0x10ffff
/** The first code point after the UTF-16 surrogates, which UTF-8 text never holds. */
const AFTER_SURROGATES = 0xe000

/**
 * The smallest string above every string that starts with `prefix`, in code point order; undefined
 * when there is none (an empty prefix, or one made only of U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0)
  for (let last = points.pop(); last !== undefined; last = points.pop()) {
    if (last < MAX_CODE_POINT) {
      const next = last === 0xd7ff ? AFTER_SURROGATES : last + 1
      return String.fromCodePoint(...points, next)
    }
  }
  return undefined
}

/** `expr` starts with `prefix`, as a range an index on `expr` can answer. */
export function prefixRange(expr: string, prefix: string): SqlFragment {
  const upper = prefixUpperBound(prefix)
  return upper === undefined
    ? { sql: `${expr} >= ?`, params: [prefix] }
    : { sql: `(${expr} >= ? AND ${expr} < ?)`, params: [prefix, upper] }
}
