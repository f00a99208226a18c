/**
 * @module The PATCH engine (RFC 7644 §3.5.2): applies validated operations to a copy of a
 * resource document. Operations apply in order and all-or-nothing: the first error throws and
 * the caller keeps its untouched document.
 */
import { isDeepStrictEqual } from '../../lib/equal'
import { badRequest } from '../errors'
import type { ScimDocument } from '../schemas/attribute'
import { coerceValue, isUnassigned } from '../schemas/coerce'
import { isJsonObject } from '../../lib/json'
import { assertValueCount } from '../schemas/limits'
import { assertRequired } from '../schemas/normalize'
import { coerceList, complexUpdate } from './coerce'
import { readAttr, syncSchemas, writeAttr } from './document'
import { applyFiltered } from './filtered'
import { pathlessTargets } from './pathless'
import { attrLabel, isStored, resolveTarget, type PatchContext, type Target } from './target'
import { withOpLabel, type PatchOpName, type PatchOperation } from './types'
import { appendNew, compact, removeGiven, withKey, withoutKey, withSinglePrimary } from './values'

export interface PatchResult {
  /** A new document; the input is never modified. */
  doc: ScimDocument
  /** False when the result deep-equals the input, so the caller can skip the write. */
  changed: boolean
}

/**
 * Applies `ops` in order to a copy of `doc`; errors name the operation (`Operation 1: ...`).
 * `schemas` is recomputed from the extensions present, as on POST/PUT, and a changed document
 * must still hold its required attributes, non-blank (RFC 7643 §2.2, as a PUT body would).
 */
export function applyPatch(
  doc: ScimDocument,
  ops: readonly PatchOperation[],
  ctx: PatchContext
): PatchResult {
  const next = structuredClone(doc)
  for (const op of ops) {
    withOpLabel(op.index, () => {
      applyOperation(next, op, ctx)
    })
  }
  syncSchemas(next, ctx.resourceType)
  const changed = !isDeepStrictEqual(doc, next)
  // Only a change is checked, so a stored document that predates a rule can still be re-sent.
  if (changed) assertRequired(ctx.resourceType, next)
  return { doc: next, changed }
}

function applyOperation(doc: ScimDocument, op: PatchOperation, ctx: PatchContext): void {
  if (op.path === undefined) {
    const entries = isJsonObject(op.value) ? pathlessTargets(op.value, ctx) : []
    for (const { target, value } of entries) applyToTarget(doc, op.op, target, value)
    return
  }
  const target = resolveTarget(op.path, op.pathText ?? '', ctx)
  if (isStored(target)) applyToTarget(doc, op.op, target, op.value)
}

function applyToTarget(doc: ScimDocument, op: PatchOpName, target: Target, value: unknown): void {
  // RFC 7643 §2.5: null means unassigned: replace with null removes, add of null adds nothing.
  if (value === null && op === 'add') return
  const effectiveOp = value === null ? 'remove' : op
  const effectiveValue = value === null ? undefined : value
  const before = readAttr(doc, target.loc)
  const after =
    target.filter === undefined
      ? applyPlain(before, effectiveOp, target, effectiveValue)
      : applyFiltered(before, effectiveOp, target, effectiveValue, target.filter)
  // RFC 7644 §3.5.2.2: a required attribute that would become unassigned answers mutability.
  if (target.attr.required && isUnassigned(after)) {
    throw badRequest('mutability', `"${target.name}" is required and cannot be removed`)
  }
  // An add appends, so the list as a whole is checked too, when it grows (a list stored before
  // the limit existed can still shrink).
  const grown = Array.isArray(after) ? after.length : 0
  if (grown > (Array.isArray(before) ? before.length : 0)) {
    assertValueCount(target.attr, grown, attrLabel(target))
  }
  writeAttr(doc, target.loc, after)
}

/** The attribute's new value for a path without a value filter. */
function applyPlain(before: unknown, op: PatchOpName, t: Target, value: unknown): unknown {
  if (op === 'remove') return removePlain(before, t, value)
  if (t.sub) return setSub(before, t, coerceValue(t.sub, value, t.name))
  if (t.attr.multiValued) {
    // RFC 7644 §3.5.2.1 appends (an existing value is no change); §3.5.2.3 replaces the list.
    const current: unknown[] = op === 'add' && Array.isArray(before) ? before : []
    const list = appendNew(current, coerceList(t, value))
    return withSinglePrimary(list, indexesFrom(current.length, list.length))
  }
  const coerced = coerceValue(t.attr, value, t.name)
  // RFC 7644 §3.5.2.1/§3.5.2.3: a complex value merges; sub-attributes not given are kept.
  return t.attr.type === 'complex' ? complexUpdate(t.attr, coerced, value)(before) : coerced
}

/** RFC 7644 §3.5.2.2 without a filter: the attribute, a sub-attribute or the given values go. */
function removePlain(before: unknown, t: Target, value: unknown): unknown {
  const sub = t.sub
  if (sub) {
    return Array.isArray(before)
      ? compact(before.map((el: unknown) => withoutKey(el, sub.name)))
      : withoutKey(before, sub.name)
  }
  if (t.attr.multiValued && value !== undefined && Array.isArray(before)) {
    return removeGiven(before, coerceList(t, value))
  }
  return undefined
}

/**
 * `name.givenName` sets the sub-attribute; on a multi-valued attribute without a filter
 * (`emails.value`) every element gets it, or one element is created when there is none.
 */
function setSub(before: unknown, t: Target, value: unknown): unknown {
  const name = t.sub?.name ?? ''
  if (!t.attr.multiValued) return withKey(before, name, value)
  const list: unknown[] = Array.isArray(before) && before.length > 0 ? before : [{}]
  return compact(list.map((el) => withKey(el, name, value)))
}

const indexesFrom = (start: number, end: number): number[] =>
  Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i)
