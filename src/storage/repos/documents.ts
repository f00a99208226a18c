/**
 * @module Row ↔ StoredResource conversion shared by the user and group repositories.
 */
import type { StoredResource } from '../../domain/resource'
import type { ScimDocument } from '../../scim/schemas/attribute'

export interface ResourceRow {
  id: string
  data: string
  version: number
  createdAt: string
  updatedAt: string
}

/** Raw rows from compiled list queries use the SQL column names. */
export interface RawResourceRow {
  id: string
  data: string
  version: number
  created_at: string
  updated_at: string
  sort_key?: string | number | null
}

export function parseDocument(text: string): ScimDocument {
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
  return value as ScimDocument
}

export const fromRow = (row: ResourceRow): StoredResource => ({
  id: row.id,
  doc: parseDocument(row.data),
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

export const fromRawRow = (row: RawResourceRow): StoredResource => ({
  id: row.id,
  doc: parseDocument(row.data),
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export const toRow = (r: StoredResource): ResourceRow => ({
  id: r.id,
  data: JSON.stringify(r.doc),
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})
