/**
 * @module SCIM schema URNs and the media type (RFC 7643 §8.7, RFC 7644 §3.1, §8.2). The Error
 * message URN lives in errors.ts with the error type.
 */

/** RFC 7644 §8.1: every SCIM response body is `application/scim+json`. */
export const SCIM_MEDIA_TYPE = 'application/scim+json'

/** Core resource schemas (RFC 7643 §4.1, §4.2). */
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'

/** Enterprise User extension (RFC 7643 §4.3). */
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** The vendor extension the ActivTrak Entra ID / Okta mappings write to. */
export const ACTIVTRAK_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'

/** Every schema URN of a core resource starts with this (RFC 7643 §10.2). */
export const CORE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:core:'

/** Discovery resources (RFC 7643 §5, §6, §7). */
export const SERVICE_PROVIDER_CONFIG_SCHEMA =
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

/** Protocol messages (RFC 7644 §3.4.2). */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
