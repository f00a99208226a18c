/**
 * @module Row ↔ StoredResource conversion shared by the user and group repositories.
 */
import type { StoredResource } from '../../model/resource'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { col, type ReadRow } from '../read-batch'

export interface ResourceRow {
  id: string
  data: string
  version: number
  createdAt: string
  updatedAt: string
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

/** The columns a resource read selects, in SQL names (`fromReadRow` reads them back). */
export const RESOURCE_COLUMNS = 'id, data, version, created_at, updated_at'

/** RESOURCE_COLUMNS of the table aliased `alias`. */
export const resourceColumnsOf = (alias: string): string =>
  RESOURCE_COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ')

/** A resource from a row of a batched read (RESOURCE_COLUMNS). */
export const fromReadRow = (row: ReadRow): StoredResource => ({
  id: col.text(row, 'id'),
  doc: parseDocument(col.text(row, 'data')),
  version: col.int(row, 'version'),
  createdAt: col.text(row, 'created_at'),
  updatedAt: col.text(row, 'updated_at'),
})
