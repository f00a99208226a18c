/**
 * @module The common attributes of every resource (RFC 7643 §3.1): id, externalId and meta.
 * They belong to no schema, so /Schemas does not list them (RFC 7643 §3.1 lets older schema
 * texts include them; RFC 7643 §8.7.1 does not); filters, PATCH paths and projections reach
 * them through the core schema, as `id` or `urn:...:core:2.0:User:id`.
 */
import type { AttributeDef } from './attribute'
import { attribute, complex } from './define'

const ID_ATTRIBUTE = attribute(
  'id',
  'string',
  'A unique identifier for a SCIM resource as defined by the service provider.',
  { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }
)

/**
 * RFC 7643 §3.1 makes externalId caseExact true. This service deviates: Entra ID and Okta look
 * users and groups up by externalId before every create, and an IdP that changed the case of an
 * identifier (mailNickname, Okta ids pasted by admins) would miss the existing resource and then
 * fail its POST with 409 forever. So externalId matches case-insensitively, like userName.
 */
export const EXTERNAL_ID_ATTRIBUTE = attribute(
  'externalId',
  'string',
  'A String that is an identifier for the resource as defined by the provisioning client.',
  { caseExact: false }
)

const metaSub = (name: string, type: AttributeDef['type'], description: string): AttributeDef =>
  attribute(name, type, description, {
    caseExact: type !== 'dateTime',
    mutability: 'readOnly',
    ...(type === 'reference' ? { referenceTypes: ['uri'] } : {}),
  })

/**
 * RFC 7643 §3.1 leaves `meta` as returned default; this service always returns it (as the
 * RFC's examples do), so it is `always` here and only its sub-attributes can be projected.
 */
export const META_ATTRIBUTE = complex(
  'meta',
  'A complex attribute containing resource metadata.',
  [
    metaSub('resourceType', 'string', 'The name of the resource type of the resource.'),
    metaSub(
      'created',
      'dateTime',
      'The "DateTime" that the resource was added to the service provider.'
    ),
    metaSub(
      'lastModified',
      'dateTime',
      'The most recent DateTime that the details of this resource were updated at the service provider.'
    ),
    metaSub('location', 'reference', 'The URI of the resource being returned.'),
    metaSub('version', 'string', 'The version of the resource being returned.'),
  ],
  { mutability: 'readOnly', returned: 'always' }
)

/** id, externalId, meta, in the order a resource shows them. */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = [
  ID_ATTRIBUTE,
  EXTERNAL_ID_ATTRIBUTE,
  META_ATTRIBUTE,
]
