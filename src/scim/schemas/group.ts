/**
 * @module The core Group schema (RFC 7643 §4.2, §8.7.1) with this service's two restrictions:
 * displayName is required and unique per tenant (Entra ID matches groups by it), and members
 * are users only (no nested groups).
 */
import { CORE_GROUP_SCHEMA } from '../constants'
import type { SchemaDef } from './attribute'
import { attribute, complex } from './define'

export const GROUP_SCHEMA_DEF = {
  id: CORE_GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 §8.7.1 says "REQUIRED" in the description but `required: false`, uniqueness none.
    attribute('displayName', 'string', 'A human-readable name for the Group.  REQUIRED.', {
      required: true,
      uniqueness: 'server',
    }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        attribute('value', 'string', 'Identifier of the member of this Group.', {
          mutability: 'immutable',
        }),
        attribute(
          '$ref',
          'reference',
          'The URI corresponding to a SCIM resource that is a member of this Group.',
          { referenceTypes: ['User'], mutability: 'immutable' }
        ),
        // Not in RFC 7643 §8.7.1, but §4.2 shows it and Okta sends it; the service fills it
        // from the member's own record, so what a client sends is ignored.
        attribute('display', 'string', 'A human-readable name for the member.  READ-ONLY.', {
          mutability: 'readOnly',
        }),
        attribute('type', 'string', "A label indicating the type of resource, i.e., 'User'.", {
          canonicalValues: ['User'],
          mutability: 'immutable',
        }),
      ],
      { multiValued: true }
    ),
  ],
} satisfies SchemaDef
