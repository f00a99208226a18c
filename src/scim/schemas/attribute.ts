/**
 * @module Attribute definitions of RFC 7643 §2 / §7, as data. The catalog built from these
 * drives validation of filters and paths, the /Schemas endpoint, input cleaning and output
 * projection.
 */
import type { AttrPath } from '../filter/ast'

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary'

type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
type Returned = 'always' | 'never' | 'default' | 'request'
type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDef {
  /** Canonical spelling, e.g. `userName`. */
  name: string
  type: AttributeType
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: Mutability
  returned: Returned
  uniqueness: Uniqueness
  canonicalValues?: readonly string[]
  referenceTypes?: readonly string[]
  subAttributes?: readonly AttributeDef[]
}

export interface SchemaDef {
  /** Schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  id: string
  name: string
  description: string
  attributes: readonly AttributeDef[]
}

/** A filter or PATCH path resolved against a resource type's schemas. */
export interface ResolvedPath {
  /** URN of the schema that defines the top-level attribute (core or extension). */
  schema: string
  /** The top-level attribute (canonical name in `attr.name`). */
  attr: AttributeDef
  /** The sub-attribute, when the path names one (`name.givenName`, `emails.value`). */
  sub?: AttributeDef
}

/** Resolves an attribute path case-insensitively; `undefined` means "no such attribute". */
export type Resolver = (path: AttrPath) => ResolvedPath | undefined

/**
 * A resource as the service holds it: wire-shaped JSON with canonical attribute names, extension
 * attributes nested under their schema URN key, no `id`/`meta` (those come from storage).
 */
export type ScimDocument = Record<string, unknown>
