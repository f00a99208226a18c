/**
 * @module Value coercion for PATCH targets, on top of the schema catalog's coerceValue (which
 * turns Entra's "True"/"False" into booleans and unwraps one-element arrays for singular
 * complex attributes such as `manager`).
 */
import { badRequest } from '../errors'
import type { AttributeDef } from '../schemas/attribute'
import { coerceValue, isUnassigned } from '../schemas/coerce'
import { isJsonObject } from '../../lib/json'
import { findSub, type Target } from './target'
import { mergeComplex, withoutKey } from './values'

/** The elements of a value for the multi-valued attribute of `t` (a single value is wrapped). */
export function coerceList(t: Target, value: unknown): unknown[] {
  const coerced = coerceValue(t.attr, value, t.name)
  if (coerced === undefined) return []
  return Array.isArray(coerced) ? coerced : [coerced]
}

/** One element of the multi-valued attribute of `t`, for an operation on a filtered element. */
export function coerceElement(t: Target, value: unknown): unknown {
  const [element, ...more] = coerceList(t, value)
  if (element === undefined || more.length > 0) {
    throw badRequest('invalidValue', `"${t.name}": the value must be a single element`)
  }
  return element
}

/**
 * How a complex value (`coerced`, from the client's `raw`) changes the current one, per
 * RFC 7644 §3.5.2.3: the sub-attributes given replace, those given as null are removed, the
 * others are kept. `owner` is the complex attribute whose sub-attributes these are.
 */
export function complexUpdate(
  owner: AttributeDef,
  coerced: unknown,
  raw: unknown
): (current: unknown) => unknown {
  const cleared = isJsonObject(raw)
    ? Object.entries(raw).flatMap(([key, v]) =>
        isUnassigned(v) ? [findSub(owner, key)?.name ?? key] : []
      )
    : []
  return (current) =>
    mergeComplex(
      cleared.reduce((acc, key) => withoutKey(acc, key), current),
      coerced
    )
}
