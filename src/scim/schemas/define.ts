/**
 * @module Builders for attribute definitions with the defaults of RFC 7643 §2.2 (not required,
 * caseExact false, readWrite, returned default, uniqueness none), so that each catalog entry
 * only spells out where it differs from them, as the RFC's own schema text does.
 */
import type { AttributeDef, AttributeType } from './attribute'

/** The characteristics an entry may override; name, type and description are always given. */
export type Traits = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>

/** A singular attribute with the RFC 7643 §2.2 defaults, overridden by `traits`. */
export function attribute(
  name: string,
  type: AttributeType,
  description: string,
  traits: Traits = {}
): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...traits,
  }
}

/** A complex attribute (RFC 7643 §2.3.8) with the given sub-attributes. */
export function complex(
  name: string,
  description: string,
  subAttributes: readonly AttributeDef[],
  traits: Traits = {}
): AttributeDef {
  return attribute(name, 'complex', description, { ...traits, subAttributes })
}

const DISPLAY_DESCRIPTION =
  'A human-readable name, primarily used for display purposes.  READ-ONLY.'

/** What varies between the value/display/type/primary attributes of RFC 7643 §2.4. */
export interface PluralSpec {
  /** The `value` sub-attribute. */
  value: AttributeDef
  typeDescription: string
  typeValues?: readonly string[]
  /** The example part of the `primary` description ("the preferred photo or thumbnail"). */
  primaryExample?: string
}

/**
 * A multi-valued complex attribute with the standard sub-attributes `value`, `display`,
 * `type` and `primary` (RFC 7643 §2.4), as emails, phoneNumbers, ims, photos, entitlements,
 * roles and x509Certificates are defined in RFC 7643 §8.7.1.
 */
export function plural(name: string, description: string, spec: PluralSpec): AttributeDef {
  const example = spec.primaryExample === undefined ? '' : `, e.g., ${spec.primaryExample}`
  return complex(
    name,
    description,
    [
      spec.value,
      attribute('display', 'string', DISPLAY_DESCRIPTION),
      attribute('type', 'string', spec.typeDescription, canonical(spec.typeValues)),
      attribute(
        'primary',
        'boolean',
        `A Boolean value indicating the 'primary' or preferred attribute value for this attribute${example}.  The primary attribute value 'true' MUST appear no more than once.`
      ),
    ],
    { multiValued: true }
  )
}

/** `canonicalValues` only when the RFC lists some (absent and `[]` are both in RFC 7643). */
const canonical = (values: readonly string[] | undefined): Traits =>
  values === undefined ? {} : { canonicalValues: values }
