/**
 * @module Where an attribute lives in a stored document: core attributes at the top level,
 * extension attributes nested under their schema URN key (RFC 7643 §3.3). Writing an
 * unassigned value removes the attribute, and an extension object left empty goes with it.
 */
import type { ScimDocument } from '../schemas/attribute'
import { schemasOf, type ResourceTypeDef } from '../schemas/resource-types'
import { isJsonObject } from '../../lib/json'
import { isUnassigned } from '../schemas/coerce'

/** A top-level attribute's place: `urn` is the extension schema, undefined for the core schema. */
export interface Location {
  urn: string | undefined
  name: string
}

/** The attribute's current value, or undefined when unassigned. */
export function readAttr(doc: ScimDocument, loc: Location): unknown {
  if (loc.urn === undefined) return doc[loc.name]
  const ext = doc[loc.urn]
  return isJsonObject(ext) ? ext[loc.name] : undefined
}

/** Sets the attribute in place; null, [] and {} remove it (RFC 7643 §2.5). */
export function writeAttr(doc: ScimDocument, loc: Location, value: unknown): void {
  const container = loc.urn === undefined ? doc : extensionOf(doc, loc.urn)
  if (isUnassigned(value)) Reflect.deleteProperty(container, loc.name)
  else container[loc.name] = value
  if (loc.urn !== undefined && Object.keys(container).length === 0)
    Reflect.deleteProperty(doc, loc.urn)
}

function extensionOf(doc: ScimDocument, urn: string): Record<string, unknown> {
  const existing = doc[urn]
  if (isJsonObject(existing)) return existing
  const created: Record<string, unknown> = {}
  doc[urn] = created
  return created
}

/**
 * Recomputes `schemas` (RFC 7643 §3): the core schema and each extension the document holds,
 * in the resource type's order, as normalizeResource does for POST/PUT.
 */
export function syncSchemas(doc: ScimDocument, rt: ResourceTypeDef): void {
  doc.schemas = schemasOf(rt)
    .map((s) => s.id)
    .filter((id) => id === rt.schema.id || id in doc)
}
