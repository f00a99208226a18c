/**
 * @module Operations on value-filtered paths such as `emails[type eq "work"].value`
 * (RFC 7644 §3.5.2), including the two behaviours real clients depend on: creating the element
 * an `eq` filter describes when none matches, and ActivTrak's `[value eq null]` "single value".
 */
import { badRequest } from '../errors'
import type { Filter } from '../filter/ast'
import { matchesElement } from '../filter/matcher'
import { coerceValue } from '../schemas/coerce'
import { isJsonObject } from '../../lib/json'
import { sameName } from '../schemas/lookup'
import { coerceElement, coerceList, complexUpdate } from './coerce'
import { attrLabel, findSub, type Target } from './target'
import type { PatchOpName } from './types'
import { compact, withKey, withoutKey, withSinglePrimary } from './values'

/** The new value of the filtered multi-valued attribute of `t` after the operation. */
export function applyFiltered(
  before: unknown,
  op: PatchOpName,
  t: Target,
  value: unknown,
  filter: Filter
): unknown {
  // ActivTrak's documented Entra mapping `userPrincipalNames[value eq null].value` means "the
  // single value" of the attribute: the filter can never match a stored value, so it is read as
  // "replace the whole attribute with this one value".
  if (isValueEqNull(filter)) return op === 'remove' ? undefined : singleValue(t, value)
  const list: unknown[] = Array.isArray(before) ? before : []
  const hits = list.flatMap((el, i) => (matchesElement(filter, el, t.attr) ? [i] : []))
  // RFC 7644 §3.5.2.2: matching values are removed; none matching is not an error (removes are
  // retried by IdPs and must stay idempotent).
  if (op === 'remove') {
    return compact(list.flatMap((el, i) => (hits.includes(i) ? removed(el, t) : [el])))
  }
  const update = elementUpdate(t, value)
  if (hits.length > 0) {
    const updated = list.map((el, i) => (hits.includes(i) ? update(el) : el))
    return withSinglePrimary(updated, hits)
  }
  // RFC 7644 §3.5.2.3 answers noTarget when nothing matches, but Entra ID sends
  // `emails[type eq "work"].value` for a user that has no work email yet and expects it to be
  // created. A filter made only of `eq` comparisons describes that element exactly, so it is.
  const seed = eqSeed(filter, t)
  if (seed === undefined) {
    throw badRequest('noTarget', `no value of "${attrLabel(t)}" matches the filter`)
  }
  return withSinglePrimary([...list, update(seed)], [list.length])
}

/** A matched element after remove: without the sub-attribute, or gone. */
const removed = (el: unknown, t: Target): unknown[] => (t.sub ? [withoutKey(el, t.sub.name)] : [])

/** How each matched element changes: its sub-attribute is set, or the value is merged in. */
function elementUpdate(t: Target, value: unknown): (el: unknown) => unknown {
  const sub = t.sub
  if (sub) {
    const v = coerceValue(sub, value, t.name)
    return (el) => withKey(el, sub.name, v)
  }
  const element = coerceElement(t, value)
  return isJsonObject(element) ? complexUpdate(t.attr, element, value) : () => element
}

function isValueEqNull(filter: Filter): boolean {
  return (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.value === null &&
    filter.path.sub === undefined &&
    sameName(filter.path.name, 'value')
  )
}

function singleValue(t: Target, value: unknown): unknown[] {
  if (!t.sub) return coerceList(t, value)
  return compact([withKey({}, t.sub.name, coerceValue(t.sub, value, t.name))])
}

/** The element described by a conjunction of `eq` comparisons, or undefined for other filters. */
function eqSeed(filter: Filter, t: Target): Record<string, unknown> | undefined {
  if (filter.kind === 'and') {
    const left = eqSeed(filter.left, t)
    const right = eqSeed(filter.right, t)
    return left && right ? { ...left, ...right } : undefined
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined
  const sub = findSub(t.attr, filter.path.name)
  if (!sub) return undefined
  return { [sub.name]: coerceValue(sub, filter.value, `${t.name}.${sub.name}`) }
}
