/**
 * @module Per-attribute input coercion, shared by POST/PUT normalization and the PATCH engine:
 * checks a client value against its AttributeDef, converts the harmless variants real IdPs send
 * (Entra's "True"/"False", numbers for string attributes, `manager` as a one-element array or a
 * bare id) and rejects real type errors and values over the size limits (./limits) with
 * invalidValue naming the attribute path.
 */
import { badRequest, type ScimError } from '../errors'
import type { AttributeDef } from './attribute'
import { isJsonObject } from '../../lib/json'
import { assertLength, assertValueCount } from './limits'
import { findAttribute } from './lookup'

/** RFC 7643 §2.5: null, [] and {} mean "unassigned". */
export const isUnassigned = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (isJsonObject(value) && Object.keys(value).length === 0)

/**
 * Whether a client may set the attribute. readOnly ones are ignored on input (RFC 7643 §2.2).
 * writeOnly ones too: the only one is `password`, and this service stores no passwords (users
 * sign in through their IdP; keeping a secret nobody verifies is only a liability). Okta sends
 * a random password on every create, so dropping it silently is the compatible choice.
 */
export const isAcceptedOnInput = (def: AttributeDef): boolean =>
  def.mutability !== 'readOnly' && def.mutability !== 'writeOnly'

/** The error for a value of the wrong type: `Attribute "emails[0].value" must be a string`. */
export const mustBe = (path: string, what: string): ScimError =>
  badRequest('invalidValue', `Attribute "${path}" must be ${what}`)

/** The path of a child attribute for messages: `name.givenName`, or `urn:...:User:x` after a URN. */
const childPath = (parent: string, name: string): string =>
  parent === '' ? name : parent.endsWith(':') ? `${parent}${name}` : `${parent}.${name}`

/**
 * Coerces a client value for `def`, recursively, and returns it in canonical form: attribute
 * names in their canonical spelling, unknown and non-writable sub-attributes dropped, empty
 * elements dropped. Returns undefined when the value is, or becomes, unassigned. The caller
 * decides whether `def` itself may be written (see {@link isAcceptedOnInput}).
 * @param path the attribute as the client should read it in an error (`emails[0].value`).
 */
export function coerceValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (isUnassigned(value)) return undefined
  if (!def.multiValued) return coerceSingle(def, value, path)
  const items = Array.isArray(value) ? value : [value]
  assertValueCount(def, items.length, path)
  const out = items.flatMap((item, i) => {
    const v = coerceSingle(def, item, `${path}[${String(i)}]`)
    return v === undefined ? [] : [v]
  })
  if (out.length === 0) return undefined
  if (out.filter((el) => isJsonObject(el) && el.primary === true).length > 1) {
    // RFC 7643 §2.4: the primary attribute value true MUST appear no more than once.
    throw badRequest('invalidValue', `Attribute "${path}" has more than one primary value`)
  }
  return out
}

/**
 * Canonicalizes an object of attributes against `defs`: names matched case-insensitively and
 * rewritten to their canonical spelling, unknown or non-writable ones dropped (RFC 7644 §3.3
 * lets a service provider ignore attributes it does not support), values coerced. Returns
 * undefined when nothing is left. When two keys differ only by case, the later one wins.
 */
export function canonicalizeAttributes(
  defs: readonly AttributeDef[],
  obj: Record<string, unknown>,
  path: string
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [key, raw] of Object.entries(obj)) {
    const def = findAttribute(defs, key)
    if (!def || !isAcceptedOnInput(def)) continue
    const value = coerceValue(def, raw, childPath(path, def.name))
    if (value === undefined) Reflect.deleteProperty(out, def.name)
    else out[def.name] = value
  }
  return Object.keys(out).length === 0 ? undefined : out
}

function coerceSingle(def: AttributeDef, value: unknown, path: string): unknown {
  if (isUnassigned(value)) return undefined
  return def.type === 'complex' ? coerceComplex(def, value, path) : coerceSimple(def, value, path)
}

function coerceComplex(def: AttributeDef, value: unknown, path: string): unknown {
  if (!def.multiValued) {
    // Entra ID sends manager as `[{"value": "<id>"}]` (PATCH samples in its SCIM guide).
    if (Array.isArray(value) && value.length === 1) return coerceSingle(def, value[0], path)
    // ...and some clients send manager as the bare id.
    if (typeof value === 'string' && findAttribute(def.subAttributes, 'value')) {
      return coerceComplex(def, { value }, path)
    }
  }
  if (!isJsonObject(value)) throw mustBe(path, 'an object')
  return canonicalizeAttributes(def.subAttributes ?? [], value, path)
}

const BOOLEAN_TEXT = /^(true|false)$/i

/** xsd:dateTime (RFC 7643 §2.3.5): date, time, optional fraction and zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/

function coerceSimple(def: AttributeDef, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value
      // Entra ID sends "True"/"False" unless the aadOptscim062020 flag is set.
      if (typeof value === 'string' && BOOLEAN_TEXT.test(value))
        return value.toLowerCase() === 'true'
      throw mustBe(path, 'a boolean (true or false)')
    case 'integer':
      if (Number.isInteger(value)) return value
      throw mustBe(path, 'an integer')
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      throw mustBe(path, 'a number')
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
        return value
      }
      throw mustBe(path, 'a dateTime such as "2024-05-01T12:00:00Z"')
    case 'string':
      // Entra ID sends numbers for string attributes mapped from numeric sources (employeeId).
      if (typeof value === 'number' && Number.isFinite(value)) return String(value)
      return requireString(def, value, path)
    case 'binary':
    case 'reference':
    case 'complex':
      return requireString(def, value, path)
  }
}

function requireString(def: AttributeDef, value: unknown, path: string): string {
  if (typeof value !== 'string') throw mustBe(path, 'a string')
  assertLength(def, value, path)
  return value
}
