/**
 * @module Bounds the nesting depth of JSON text before it is parsed. A body of ten thousand
 * nested arrays is a few kilobytes, well under any size limit, yet every recursive step that
 * later walks the document (validation, cloning, the Durable Object call) overflows the stack on
 * it. Scanning the text first is linear, needs no recursion, and rejects such a body before any
 * document exists.
 */

/** The largest nesting of objects and arrays accepted in a request body; real bodies use < 8. */
export const MAX_JSON_DEPTH = 32

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/**
 * Where `text` first opens an object or array deeper than `maxDepth` levels, as a character
 * index; undefined when it never does. Brackets inside strings do not count. The text need not
 * be valid JSON: whatever the scan cannot judge is left to the parser that runs next.
 */
export function deepestNestingAt(text: string, maxDepth: number): number | undefined {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === BACKSLASH) i++
      else if (ch === QUOTE) inString = false
    } else if (ch === QUOTE) {
      inString = true
    } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
      depth++
      if (depth > maxDepth) return i
    } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      depth--
    }
  }
  return undefined
}
