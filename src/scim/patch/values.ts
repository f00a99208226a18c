/**
 * @module Immutable helpers over attribute values: complex merge (RFC 7644 §3.5.2.3), list
 * append without duplicates (§3.5.2.1), removal of given elements and the single-primary rule
 * of multi-valued attributes (RFC 7643 §2.4).
 */
import { isDeepStrictEqual } from '../../lib/equal'
import { isJsonObject } from '../../lib/json'
import { isUnassigned } from '../schemas/coerce'

/** `obj` with `key` set to `value`, or without `key` when the value is unassigned. */
export function withKey(obj: unknown, key: string, value: unknown): Record<string, unknown> {
  const base = isJsonObject(obj) ? obj : {}
  if (isUnassigned(value)) return withoutKey(base, key)
  return { ...base, [key]: value }
}

/** `value` without `key` when it is an object; other values are returned as they are. */
export function withoutKey<T>(value: T, key: string): T | Record<string, unknown> {
  if (!isJsonObject(value) || !Object.hasOwn(value, key)) return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))
}

/**
 * RFC 7644 §3.5.2.3: sub-attributes present in `patch` replace or add, the others are kept.
 * An unassigned patch changes nothing; a patch that is not an object replaces.
 */
export function mergeComplex(current: unknown, patch: unknown): unknown {
  if (patch === undefined) return current
  if (!isJsonObject(patch)) return patch
  return Object.entries(patch).reduce<Record<string, unknown>>(
    (acc, [key, value]) => withKey(acc, key, value),
    isJsonObject(current) ? current : {}
  )
}

/** Drops elements left empty (an email whose `value` was removed is no email at all). */
export const compact = (list: readonly unknown[]): unknown[] =>
  list.filter((el) => !isUnassigned(el))

/** RFC 7644 §3.5.2.1: adding a value that is already there changes nothing. */
export function appendNew(current: readonly unknown[], values: readonly unknown[]): unknown[] {
  const result = [...current]
  for (const value of values) {
    if (!result.some((el) => isDeepStrictEqual(el, value))) result.push(value)
  }
  return result
}

/**
 * Removes the elements matching one of `given` (Entra removes members and other multi-valued
 * values with `{"op":"Remove","path":"members","value":[{"value":"id"}]}`). Complex elements
 * match on `value` when the given element has one, else on every non-null sub-attribute given.
 */
export function removeGiven(list: readonly unknown[], given: readonly unknown[]): unknown[] {
  return list.filter((el) => !given.some((g) => sameElement(el, g)))
}

function sameElement(element: unknown, given: unknown): boolean {
  if (!isJsonObject(element) || !isJsonObject(given)) return isDeepStrictEqual(element, given)
  const keys = given.value === undefined || given.value === null ? Object.keys(given) : ['value']
  const compared = keys.filter((k) => given[k] !== null && given[k] !== undefined)
  return compared.length > 0 && compared.every((k) => isDeepStrictEqual(element[k], given[k]))
}

/**
 * RFC 7643 §2.4: at most one element is primary. When one of the elements just written
 * (`fresh`, indexes into `list`) says primary true, every other element loses its primary flag
 * (the last fresh one wins).
 */
export function withSinglePrimary(list: readonly unknown[], fresh: readonly number[]): unknown[] {
  const winner = [...fresh].reverse().find((i) => isPrimary(list[i]))
  if (winner === undefined) return [...list]
  return list.map((el, i) => (i !== winner && isPrimary(el) ? withoutKey(el, 'primary') : el))
}

const isPrimary = (el: unknown): boolean => isJsonObject(el) && el.primary === true
