/**
 * @module POST/PUT body → ScimDocument (RFC 7644 §3.3, §3.5.1). Tolerant of what Entra ID and
 * Okta really send (see docs/idp-behavior.md §1.4, §1.6, §2.4), strict on real type errors:
 * - `schemas` may be missing or list unknown URNs (Entra's ADSCIM Group URN, the malformed
 *   `...enterprise:2.0User`); it is recomputed from the attributes kept;
 * - attribute names match in any case and are rewritten to their canonical spelling;
 * - extension attributes arrive nested under their URN key (any case) or as URN-qualified
 *   top-level keys (`urn:...:2.0:User:tracking`, or `urn:...:2.0:User.tracking` as the ActivTrak
 *   guide writes it); both end up nested under the canonical URN;
 * - null, [] and {} mean unassigned and are dropped (Entra sends `"title": null`, `"roles": []`);
 * - readOnly (id, meta, groups, manager.displayName) and writeOnly (password) attributes, unknown
 *   attributes and unknown extension keys are ignored.
 */
import { CORE_GROUP_SCHEMA } from '../constants'
import { badRequest } from '../errors'
import { splitSchemaPrefix } from '../filter/attr-path'
import type { ScimDocument } from './attribute'
import { canonicalizeAttributes } from './coerce'
import { isJsonObject } from '../../lib/json'
import { assertUserMembers } from './group-members'
import { sameName } from './lookup'
import { coreAttributesOf, findExtension, schemasOf, type ResourceTypeDef } from './resource-types'

export interface NormalizeOptions {
  /**
   * POST or PUT. Both normalize the same way today: RFC 7644 §3.5.1 gives a PUT body the shape
   * of a POST body, and the immutable-attribute check of PUT needs the stored resource, which
   * the domain layer holds. Kept so callers state their intent and a future rule has a place.
   */
  mode: 'create' | 'replace'
}

/**
 * Validates and canonicalizes a POST or PUT body into the document the service stores.
 * Throws invalidSyntax when the body is not an object and invalidValue for a value of the
 * wrong type or a missing required attribute.
 */
export function normalizeResource(
  rt: ResourceTypeDef,
  body: unknown,
  _opts: NormalizeOptions
): ScimDocument {
  if (!isJsonObject(body)) {
    throw badRequest('invalidSyntax', `The request body must be a JSON object (a ${rt.name})`)
  }
  const parts = splitBySchema(rt, body)
  const doc: ScimDocument = { schemas: [rt.schema.id] }
  Object.assign(doc, canonicalizeAttributes(coreAttributesOf(rt), parts.core, ''))
  for (const { schema } of rt.schemaExtensions) {
    const raw = parts.extensions.get(schema.id)
    const ext = raw && canonicalizeAttributes(schema.attributes, raw, `${schema.id}:`)
    if (ext) doc[schema.id] = ext
  }
  doc.schemas = schemasOf(rt)
    .map((s) => s.id)
    .filter((id) => id === rt.schema.id || id in doc)
  assertRequired(rt, doc)
  if (rt.schema.id === CORE_GROUP_SCHEMA) assertUserMembers(doc.members)
  return doc
}

interface Parts {
  core: Record<string, unknown>
  /** Raw extension attributes by canonical extension URN. */
  extensions: Map<string, Record<string, unknown>>
}

/** Sorts the body's keys into the core part and one raw object per known extension. */
function splitBySchema(rt: ResourceTypeDef, body: Record<string, unknown>): Parts {
  const parts: Parts = { core: {}, extensions: new Map() }
  for (const [key, value] of Object.entries(body)) {
    const ext = findExtension(rt, key)
    if (ext) {
      if (!isJsonObject(value) && value !== null) {
        throw badRequest('invalidValue', `Attribute "${ext.id}" must be an object`)
      }
      Object.assign(rawPart(parts, ext.id), value)
      continue
    }
    const qualified = qualifiedKey(rt, key)
    if (!qualified) continue
    const target = qualified.schema === rt.schema.id ? parts.core : rawPart(parts, qualified.schema)
    target[qualified.name] = value
  }
  return parts
}

function rawPart(parts: Parts, schema: string): Record<string, unknown> {
  const existing = parts.extensions.get(schema)
  if (existing) return existing
  const created: Record<string, unknown> = {}
  parts.extensions.set(schema, created)
  return created
}

/**
 * Where a top-level key belongs: `userName` → core; `urn:...:enterprise:2.0:User:employeeNumber`
 * or `urn:...:activtrak:2.0:User.tracking` → the extension and the attribute name (a core URN
 * prefix is allowed too). Keys under an unknown URN (Entra custom extensions,
 * `http://schemas.microsoft.com/...`) → undefined: ignored.
 */
function qualifiedKey(
  rt: ResourceTypeDef,
  key: string
): { schema: string; name: string } | undefined {
  const split = splitSchemaPrefix(key)
  const urn = split?.urn
  if (split === undefined || urn === undefined) return split && { schema: rt.schema.id, name: key }
  const schema = schemasOf(rt).find((s) => sameName(s.id, urn))
  return schema && { schema: schema.id, name: split.rest }
}

/**
 * Checks the required attributes of a resource type (RFC 7643 §2.2): present, and for strings
 * not blank (userName and displayName must be non-empty, RFC 7643 §4.1.1). Exported for the
 * PATCH engine, whose result must be as valid as a PUT body.
 */
export function assertRequired(rt: ResourceTypeDef, doc: ScimDocument): void {
  for (const def of coreAttributesOf(rt)) {
    if (!def.required) continue
    const value = doc[def.name]
    if (value === undefined || value === null) {
      throw badRequest('invalidValue', `Attribute "${def.name}" is required`)
    }
    if (typeof value === 'string' && value.trim() === '') {
      throw badRequest('invalidValue', `Attribute "${def.name}" is required and must not be blank`)
    }
  }
}
