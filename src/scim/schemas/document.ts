/**
 * @module Where a resolved attribute lives in a ScimDocument: core and common attributes at the
 * top level, extension attributes in the object under the extension's URN (RFC 7643 §3.3).
 * Documents hold canonical names only (see normalize.ts), so lookups here are exact.
 */
import { isJsonObject } from '../../lib/json'
import { CORE_SCHEMA_PREFIX } from '../constants'
import type { ResolvedPath, ScimDocument } from './attribute'

/** Whether `schema` is a core schema URN (its attributes sit at the top level). */
const isCoreSchema = (schema: string): boolean => schema.startsWith(CORE_SCHEMA_PREFIX)

/** The object holding the attributes of `schema` in `doc`, if there is one. */
export function containerOf(
  doc: ScimDocument,
  schema: string
): Record<string, unknown> | undefined {
  if (isCoreSchema(schema)) return doc
  const ext = doc[schema]
  return isJsonObject(ext) ? ext : undefined
}

/** The value of the resolved top-level attribute (not of its sub-attribute), if any. */
export const readAttribute = (doc: ScimDocument, resolved: ResolvedPath): unknown =>
  containerOf(doc, resolved.schema)?.[resolved.attr.name]
