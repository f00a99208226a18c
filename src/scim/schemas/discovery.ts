/**
 * @module The discovery documents of RFC 7644 §4 as pure data: a schema (RFC 7643 §7), a
 * resource type (§6) and the ServiceProviderConfig (§5, with the RFC 9865 `pagination` block),
 * each describing exactly what this service implements.
 */
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from '../constants'
import type { AttributeDef, SchemaDef } from './attribute'
import { describeLimits } from './limits'
import type { ResourceTypeDef } from './resource-types'

/** A schema's representation (RFC 7643 §7), served under `/Schemas/{id}`. */
export function schemaResource(schema: SchemaDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeResource),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  }
}

/**
 * One attribute definition with every characteristic spelled out (RFC 7643 §7); the service's
 * size limits (./limits) end the description, the only place the schema format leaves for them.
 */
function attributeResource(def: AttributeDef): Record<string, unknown> {
  const limits = describeLimits(def)
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: limits === undefined ? def.description : `${def.description}  ${limits}`,
    required: def.required,
    caseExact: def.caseExact,
    ...(def.canonicalValues ? { canonicalValues: [...def.canonicalValues] } : {}),
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.referenceTypes ? { referenceTypes: [...def.referenceTypes] } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(attributeResource) } : {}),
  }
}

/** A resource type's representation (RFC 7643 §6), served under `/ResourceTypes/{name}`. */
export function resourceTypeResource(
  rt: ResourceTypeDef,
  baseUrl: string
): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    schemaExtensions: rt.schemaExtensions.map((e) => ({
      schema: e.schema.id,
      required: e.required,
    })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.name}` },
  }
}

/** The limits and links the ServiceProviderConfig advertises. */
export interface ServiceProviderConfigOptions {
  baseUrl: string
  /** filter.maxResults: the most resources one list response holds. */
  maxResults: number
  /** bulk.maxPayloadSize: the largest request body accepted, in bytes. */
  maxPayloadBytes: number
  defaultPageSize: number
  maxPageSize: number
  /** RFC 9865 cursorTimeout, in seconds. */
  cursorTimeoutSeconds: number
  documentationUri?: string
}

/**
 * The ServiceProviderConfig (RFC 7643 §5): PATCH, filter, sort and ETags are supported; bulk
 * and changePassword are not (this service stores no passwords); both index and cursor paging
 * (RFC 9865 §4), index by default since that is what Entra ID and Okta use.
 */
export function serviceProviderConfig(opts: ServiceProviderConfigOptions): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(opts.documentationUri === undefined ? {} : { documentationUri: opts.documentationUri }),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: opts.maxPayloadBytes },
    filter: { supported: true, maxResults: opts.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'Authentication with the tenant SCIM key as a bearer token (Authorization: Bearer <key>).',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: opts.defaultPageSize,
      maxPageSize: opts.maxPageSize,
      cursorTimeout: opts.cursorTimeoutSeconds,
    },
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${opts.baseUrl}/ServiceProviderConfig`,
    },
  }
}
