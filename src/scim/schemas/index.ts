/**
 * @module The schema catalog (RFC 7643 §4, §8.7.1) and the resource types built from it, with
 * their resolver. Normalization, coercion and discovery documents have their own modules.
 */
export type { AttributeDef, ScimDocument } from './attribute'
export { ENTERPRISE_USER_SCHEMA_DEF } from './enterprise-user'
export { GROUP_SCHEMA_DEF } from './group'
export { resolverFor } from './resolver'
export { ALL_SCHEMAS, GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types'
export { USER_SCHEMA_DEF } from './user'
