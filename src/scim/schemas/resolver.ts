/**
 * @module Resolution of attribute paths (filters, PATCH paths, sortBy, projections) against a
 * resource type, case-insensitively (RFC 7643 §2.1). Core attributes resolve bare or with the
 * core schema URN; extension attributes only with their URN (RFC 7644 §3.10), so that a bare
 * `employeeNumber` can never be mistaken for a core attribute.
 */
import { fold } from '../../lib/text'
import type { AttrPath } from '../filter/ast'
import type { AttributeDef, ResolvedPath, Resolver } from './attribute'
import { findAttribute } from './lookup'
import { coreAttributesOf, type ResourceTypeDef } from './resource-types'

/** Top-level attributes by folded name, per folded schema URN. */
type Index = ReadonlyMap<string, { schema: string; attrs: ReadonlyMap<string, AttributeDef> }>

const byName = (defs: readonly AttributeDef[]): ReadonlyMap<string, AttributeDef> =>
  new Map(defs.map((d) => [fold(d.name), d]))

function buildIndex(rt: ResourceTypeDef): Index {
  const index = new Map([
    [fold(rt.schema.id), { schema: rt.schema.id, attrs: byName(coreAttributesOf(rt)) }],
  ])
  for (const { schema } of rt.schemaExtensions) {
    index.set(fold(schema.id), { schema: schema.id, attrs: byName(schema.attributes) })
  }
  return index
}

const resolvers = new WeakMap<ResourceTypeDef, Resolver>()

/**
 * The resolver of a resource type (built once per type). It answers undefined for: an unknown
 * URN or attribute, an extension attribute without its URN, a sub-attribute of an attribute
 * that is not complex, and a bare extension URN (`name` ''). The last one is deliberate: a
 * whole extension is not an attribute, and the PATCH engine relies on undefined to read
 * `{"urn:...:enterprise:2.0:User": {...}}` as a set of attributes instead of one value.
 */
export function resolverFor(rt: ResourceTypeDef): Resolver {
  const cached = resolvers.get(rt)
  if (cached) return cached
  const index = buildIndex(rt)
  const resolver: Resolver = (path) => resolveIn(index, rt.schema.id, path)
  resolvers.set(rt, resolver)
  return resolver
}

function resolveIn(index: Index, core: string, path: AttrPath): ResolvedPath | undefined {
  const scope = index.get(fold(path.urn ?? core))
  const attr = scope?.attrs.get(fold(path.name))
  if (!scope || !attr) return undefined
  if (path.sub === undefined) return { schema: scope.schema, attr }
  const sub = attr.type === 'complex' ? findAttribute(attr.subAttributes, path.sub) : undefined
  return sub ? { schema: scope.schema, attr, sub } : undefined
}
