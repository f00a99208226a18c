/**
 * @module The schema catalog (RFC 7643 §4, §8.7.1) and the resource types built from it, with
 * their resolver. Normalization, coercion and discovery documents have their own modules.
 */
export { ACTIVTRAK_USER_SCHEMA_DEF } from './activtrak-user'
export type { AttributeDef, ResolvedPath, Resolver, SchemaDef, ScimDocument } from './attribute'
export { COMMON_ATTRIBUTES, EXTERNAL_ID_ATTRIBUTE, ID_ATTRIBUTE, META_ATTRIBUTE } from './common'
export { containerOf, readAttribute } from './document'
export { ENTERPRISE_USER_SCHEMA_DEF } from './enterprise-user'
export { GROUP_SCHEMA_DEF } from './group'
export { findAttribute, sameName } from './lookup'
export { resolverFor } from './resolver'
export {
  ALL_SCHEMAS,
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  coreAttributesOf,
  findExtension,
  schemasOf,
  type ResourceTypeDef,
  type SchemaExtensionDef,
} from './resource-types'
export { USER_SCHEMA_DEF } from './user'
