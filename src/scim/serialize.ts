/**
 * @module Stored document → wire JSON of a User or Group (RFC 7643 §3, RFC 7644 §3.4.2.5, §3.9):
 * `schemas`, `id`, the attributes in catalog order, extension objects, then `meta`, filtered by
 * each attribute's `returned` characteristic and the request's attributes/excludedAttributes.
 */
import type { AttributeDef, ScimDocument } from './schemas/attribute'
import { META_ATTRIBUTE } from './schemas/common'
import { containerOf } from './schemas/document'
import { planProjection, projectAttribute, type ProjectionPlan } from './schemas/projection'
import { resolverFor } from './schemas/resolver'
import { coreAttributesOf, schemasOf, type ResourceTypeDef } from './schemas/resource-types'

/** What storage knows about a resource besides its document (RFC 7643 §3.1 `id` and `meta`). */
export interface ResourceMeta {
  id: string
  created: string
  lastModified: string
  /** The ETag, e.g. `W/"3"`. */
  version: string
  location: string
}

/** The RFC 7644 §3.9 query parameters, each already split with {@link parseAttributeList}. */
export interface ProjectionRequest {
  attributes?: readonly string[]
  excludedAttributes?: readonly string[]
}

/**
 * The wire representation of a resource. `password` (returned never) is never written; `id`,
 * `schemas` and `meta` always are. `attributes` restricts the response to the attributes named
 * (URN-qualified or not, `name.givenName` for one sub-attribute, any letter case);
 * `excludedAttributes` removes the ones named. Unknown names are ignored (RFC 7644 §3.9 defines
 * no error for them). `schemas` lists the core schema and the extensions left in the output.
 */
export function serializeResource(
  rt: ResourceTypeDef,
  doc: ScimDocument,
  meta: ResourceMeta,
  projection: ProjectionRequest = {}
): Record<string, unknown> {
  const plan = planProjection(
    rt,
    resolverFor(rt),
    projection.attributes ?? [],
    projection.excludedAttributes ?? []
  )
  const core = rt.schema.id
  const topLevel = coreAttributesOf(rt).filter((d) => d.name !== 'id' && d.name !== 'meta')
  const out: Record<string, unknown> = {
    schemas: [],
    id: meta.id,
    ...projectAll(plan, core, topLevel, doc),
  }
  for (const { schema } of rt.schemaExtensions) {
    const part = projectAll(plan, schema.id, schema.attributes, containerOf(doc, schema.id) ?? {})
    if (Object.keys(part).length > 0) out[schema.id] = part
  }
  out.meta = projectAttribute(plan, core, META_ATTRIBUTE, {
    resourceType: rt.name,
    created: meta.created,
    lastModified: meta.lastModified,
    location: meta.location,
    version: meta.version,
  })
  out.schemas = schemasOf(rt)
    .map((s) => s.id)
    .filter((id) => id === core || id in out)
  return out
}

function projectAll(
  plan: ProjectionPlan,
  schema: string,
  defs: readonly AttributeDef[],
  container: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const def of defs) {
    const value = projectAttribute(plan, schema, def, container[def.name])
    if (value !== undefined) out[def.name] = value
  }
  return out
}

/**
 * Splits an `attributes` or `excludedAttributes` parameter (RFC 7644 §3.4.2.5: comma-separated
 * attribute paths) into trimmed, non-empty names; undefined gives [].
 */
export function parseAttributeList(param: string | undefined): string[] {
  if (param === undefined) return []
  return param
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}
