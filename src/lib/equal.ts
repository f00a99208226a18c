/**
 * @module Structural equality of JSON documents, used to skip writes that change nothing
 * (Okta re-sends a group's name with every membership update).
 */
export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  return ka.every((k) => Object.hasOwn(rb, k) && isDeepStrictEqual(ra[k], rb[k]))
}
