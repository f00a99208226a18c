/**
 * @module The resource types this service offers (RFC 7643 §6): User with the Enterprise and
 * ActivTrak extensions, and Group.
 */
import type { AttributeDef, SchemaDef } from './attribute'
import { ACTIVTRAK_USER_SCHEMA_DEF } from './activtrak-user'
import { COMMON_ATTRIBUTES } from './common'
import { ENTERPRISE_USER_SCHEMA_DEF } from './enterprise-user'
import { GROUP_SCHEMA_DEF } from './group'
import { sameName } from './lookup'
import { USER_SCHEMA_DEF } from './user'

/** A schema extension of a resource type; `required` as in RFC 7643 §6 `schemaExtensions`. */
interface SchemaExtensionDef {
  schema: SchemaDef
  required: boolean
}

/** A resource type (RFC 7643 §6); `name` is also its id. */
export interface ResourceTypeDef {
  name: string
  endpoint: string
  description: string
  schema: SchemaDef
  schemaExtensions: readonly SchemaExtensionDef[]
}

export const USER_RESOURCE_TYPE: ResourceTypeDef = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA_DEF,
  schemaExtensions: [
    { schema: ENTERPRISE_USER_SCHEMA_DEF, required: false },
    { schema: ACTIVTRAK_USER_SCHEMA_DEF, required: false },
  ],
}

export const GROUP_RESOURCE_TYPE: ResourceTypeDef = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA_DEF,
  schemaExtensions: [],
}

/** Every schema served by /Schemas (RFC 7644 §4), core schemas first. */
export const ALL_SCHEMAS: readonly SchemaDef[] = [
  USER_SCHEMA_DEF,
  GROUP_SCHEMA_DEF,
  ENTERPRISE_USER_SCHEMA_DEF,
  ACTIVTRAK_USER_SCHEMA_DEF,
]

/** The attributes at the top level of a resource: the common ones, then the core schema's. */
export const coreAttributesOf = (rt: ResourceTypeDef): readonly AttributeDef[] => [
  ...COMMON_ATTRIBUTES,
  ...rt.schema.attributes,
]

/** The schemas whose attributes a resource of this type may hold, core first. */
export const schemasOf = (rt: ResourceTypeDef): readonly SchemaDef[] => [
  rt.schema,
  ...rt.schemaExtensions.map((e) => e.schema),
]

/** The resource type's extension whose URN is `urn` in any letter case (RFC 7643 §2.1). */
export const findExtension = (rt: ResourceTypeDef, urn: string): SchemaDef | undefined =>
  rt.schemaExtensions.find((e) => sameName(e.schema.id, urn))?.schema
