/**
 * @module What a write changed, for the provisioning history: scalar attributes are listed with
 * their before and after values, by dotted path (`name.givenName`) or URN-qualified path
 * (`urn:…:enterprise:2.0:User:employeeNumber`); multi-valued and other complex values are listed
 * by attribute name with before/after element counts. Secrets never reach the history.
 */
import type { ScimDocument } from '../scim/schemas/attribute'
import { isDeepStrictEqual } from '../lib/equal'
import { isJsonObject } from '../lib/json'

type Scalar = string | number | boolean | null

export interface AttributeChange {
  attr: string
  before?: Scalar
  after?: Scalar
  /** For multi-valued attributes: how many values there were before and after. */
  countBefore?: number
  countAfter?: number
}

/** Never recorded, whatever the client sends. */
const SECRET = new Set(['password'])

const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

function scalarChange(attr: string, before: unknown, after: unknown): AttributeChange {
  const change: AttributeChange = { attr }
  if (isScalar(before)) change.before = before
  if (isScalar(after)) change.after = after
  return change
}

function listChange(attr: string, before: unknown, after: unknown): AttributeChange {
  const change: AttributeChange = { attr }
  if (Array.isArray(before)) change.countBefore = before.length
  if (Array.isArray(after)) change.countAfter = after.length
  return change
}

function diffInto(
  out: AttributeChange[],
  prefix: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>
): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  for (const key of keys) {
    if (key === 'schemas' || SECRET.has(key)) continue
    const b = before[key]
    const a = after[key]
    if (isDeepStrictEqual(b, a)) continue
    const path = key.includes(':') ? key : `${prefix}${key}`
    const separator = key.includes(':') ? ':' : '.'
    if (isJsonObject(b) || isJsonObject(a)) {
      diffInto(out, `${path}${separator}`, isJsonObject(b) ? b : {}, isJsonObject(a) ? a : {})
    } else if (Array.isArray(b) || Array.isArray(a)) {
      out.push(listChange(path, b, a))
    } else {
      out.push(scalarChange(path, b, a))
    }
  }
}

/** The changes between two documents (either may be absent: create, delete). */
export function diffDocuments(
  before: ScimDocument | undefined,
  after: ScimDocument | undefined
): AttributeChange[] {
  const out: AttributeChange[] = []
  diffInto(out, '', before ?? {}, after ?? {})
  return out
}
