/**
 * @module Size limits on attribute values, far above anything an identity provider sends but low
 * enough that one request cannot fill a tenant's rows with megabytes of one name or thousands of
 * emails. RFC 7643 §2 sets no limits, so a value over one is refused (400 invalidValue, naming
 * the attribute and the limit) rather than cut; /Schemas states each limit in the attribute's
 * description. Group members are bounded per request only: a group legitimately holds tens of
 * thousands of members, and Okta may PUT them all at once.
 */
import { badRequest, type ScimError } from '../errors'
import type { AttributeDef } from './attribute'
import { EXTERNAL_ID_ATTRIBUTE } from './common'
import { GROUP_SCHEMA_DEF } from './group'
import { findAttribute } from './lookup'
import { USER_SCHEMA_DEF } from './user'

/** Characters in a userName, a displayName (of a User or a Group) or an externalId. */
export const MAX_IDENTIFIER_LENGTH = 1024
/** Characters in any other string or reference value (emails, names, addresses, UPNs…). */
export const MAX_STRING_LENGTH = 4096
/** Characters in a binary value (base64): room for an X.509 certificate with its chain. */
const MAX_BINARY_LENGTH = 16_384
/** Values of one multi-valued attribute of a resource (emails, phoneNumbers, roles…). */
export const MAX_VALUES = 100
/** Group members named by one request: a POST or PUT body, or all operations of one PATCH. */
export const MAX_MEMBERS_PER_REQUEST = 50_000

/** The group's `members`: the one multi-valued attribute bounded per request, not per value. */
export const MEMBERS_ATTRIBUTE = findAttribute(GROUP_SCHEMA_DEF.attributes, 'members')

const IDENTIFIERS: ReadonlySet<AttributeDef | undefined> = new Set([
  EXTERNAL_ID_ATTRIBUTE,
  findAttribute(USER_SCHEMA_DEF.attributes, 'userName'),
  findAttribute(USER_SCHEMA_DEF.attributes, 'displayName'),
  findAttribute(GROUP_SCHEMA_DEF.attributes, 'displayName'),
])

/** The most characters a value of the simple attribute `def` may have. */
function maxLengthOf(def: AttributeDef): number {
  if (IDENTIFIERS.has(def)) return MAX_IDENTIFIER_LENGTH
  return def.type === 'binary' ? MAX_BINARY_LENGTH : MAX_STRING_LENGTH
}

/** The most values the multi-valued attribute `def` may have. */
const maxValuesOf = (def: AttributeDef): number =>
  def === MEMBERS_ATTRIBUTE ? MAX_MEMBERS_PER_REQUEST : MAX_VALUES

/** Refuses a string value of `def` longer than its limit; `path` names it as the client wrote it. */
export function assertLength(def: AttributeDef, value: string, path: string): void {
  const max = maxLengthOf(def)
  if (value.length > max) {
    throw badRequest(
      'invalidValue',
      `Attribute "${path}" is ${String(value.length)} characters long; at most ${String(max)} are accepted`
    )
  }
}

/** Refuses `count` values of the multi-valued attribute `def` when above its limit. */
export function assertValueCount(def: AttributeDef, count: number, path: string): void {
  if (count > maxValuesOf(def)) throw tooManyValues(def, count, path)
}

export function tooManyValues(def: AttributeDef, count: number, path: string): ScimError {
  const max = String(maxValuesOf(def))
  const per = def === MEMBERS_ATTRIBUTE ? ' per request' : ''
  return badRequest(
    'invalidValue',
    `Attribute "${path}" has ${String(count)} values; at most ${max} are accepted${per}`
  )
}

/** The sentence /Schemas appends to the description of `def` (RFC 7643 §7 has no limit field). */
export function describeLimits(def: AttributeDef): string | undefined {
  if (def.multiValued) {
    return def === MEMBERS_ATTRIBUTE
      ? `At most ${String(MAX_MEMBERS_PER_REQUEST)} members per request.`
      : `At most ${String(MAX_VALUES)} values.`
  }
  if (def.type === 'string' || def.type === 'reference' || def.type === 'binary') {
    return `At most ${String(maxLengthOf(def))} characters.`
  }
  return undefined
}
