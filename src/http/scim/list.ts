/**
 * @module Shared list/search handling for Users and Groups: filter compile, sort, index or cursor
 * paging, one D1 round trip for count + page, then serialization with the projection.
 */
import { badRequest } from '../../scim/errors'
import { parseFilter, parsePatchPath } from '../../scim/filter/parser'
import type { Resolver } from '../../scim/schemas/attribute'
import { LIST_RESPONSE_SCHEMA } from '../../scim/constants'
import { pageWindow } from '../../scim/paging'
import { compileFilter, type CompileContext } from '../../storage/filter-sql/compile'
import { sortExpression } from '../../storage/filter-sql/sort'
import type { ResourceTable } from '../../storage/filter-sql/targets'
import { buildListQuery, type CursorPosition, type PageRequest } from '../../storage/list-query'
import type { SqlParam } from '../../storage/filter-sql/compare'
import { fromRawRow, type RawResourceRow } from '../../storage/repos/documents'
import type { StoredResource } from '../../domain/resource'
import { base64Url, fromBase64Url } from '../../lib/ids'
import type { ListParams } from './query'

export interface ListSettings {
  tenantId: string
  d1: D1Database
  table: ResourceTable
  resolve: Resolver
  defaultPageSize: number
  maxPageSize: number
}

export interface ListPage {
  resources: StoredResource[]
  totalResults: number
  startIndex: number | undefined
  nextCursor: string | undefined
}

/** Runs a list request and returns the page of stored resources with paging facts. */
export async function listResources(params: ListParams, s: ListSettings): Promise<ListPage> {
  const ctx: CompileContext = { tenantId: s.tenantId, resolve: s.resolve, table: s.table }
  const where =
    params.filter !== undefined ? compileFilter(parseFilter(params.filter), ctx) : undefined
  const sort = params.sortBy ? sortExpression(sortPath(params.sortBy), ctx) : undefined
  const { startIndex, count } = pageWindow(params, s)
  const cursorMode = params.cursor !== undefined
  const page: PageRequest = cursorMode
    ? { kind: 'cursor', after: decodeCursor(params.cursor ?? ''), limit: count + 1 }
    : { kind: 'index', offset: startIndex - 1, limit: count }
  const q = buildListQuery({
    tenantId: s.tenantId,
    table: s.table,
    where,
    sort,
    descending: params.sortOrder === 'descending',
    page,
  })
  const [counted, rows] = await s.d1.batch<unknown>([
    s.d1.prepare(q.count.sql).bind(...q.count.params),
    s.d1.prepare(q.rows.sql).bind(...q.rows.params),
  ])
  const total = Number((counted?.results[0] as { n?: number } | undefined)?.n ?? 0)
  const raw = (rows?.results ?? []) as RawResourceRow[]
  const pageRows = count === 0 ? [] : raw.slice(0, count)
  const last = pageRows.at(-1)
  const more = cursorMode && raw.length > count && last !== undefined
  return {
    resources: pageRows.map(fromRawRow),
    totalResults: total,
    startIndex: cursorMode ? undefined : startIndex,
    nextCursor: more ? encodeCursor({ key: last.sort_key ?? null, id: last.id }) : undefined,
  }
}

function sortPath(sortBy: string) {
  const path = parsePatchPath(sortBy)
  if (path.filter)
    throw badRequest('invalidValue', 'sortBy must name an attribute, not a value filter')
  return path.attr
}

export function encodeCursor(pos: CursorPosition): string {
  return base64Url(new TextEncoder().encode(JSON.stringify([pos.key, pos.id])))
}

/** An empty cursor asks for the first page (RFC 9865 §2.1). */
export function decodeCursor(text: string): CursorPosition | undefined {
  if (text === '') return undefined
  const bytes = fromBase64Url(text)
  let value: unknown
  try {
    value = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : undefined
  } catch {
    value = undefined
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[1] !== 'string' ||
    !isParam(value[0])
  ) {
    throw badRequest('invalidCursor', 'The cursor is not valid; start again without a cursor')
  }
  return { key: value[0], id: value[1] }
}

const isParam = (v: unknown): v is SqlParam =>
  v === null || typeof v === 'string' || typeof v === 'number'

export function listResponse(page: ListPage, resources: unknown[]): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.totalResults,
    itemsPerPage: resources.length,
    ...(page.startIndex !== undefined ? { startIndex: page.startIndex } : {}),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  }
}
