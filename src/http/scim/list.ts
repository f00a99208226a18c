/**
 * @module Shared list/search handling for Users and Groups: filter compile, sort, index or cursor
 * paging, planned as reads (total, page, the page's ids) that travel in the request's one D1
 * batch, then the ListResponse (RFC 7644 §3.4.2).
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
import type { SqlFragment, SqlParam } from '../../storage/filter-sql/compare'
import {
  D1_MAX_PARAMS,
  col,
  type Read,
  type ReadRow,
  type TenantScope,
} from '../../storage/read-batch'
import { fromReadRow } from '../../storage/repos/documents'
import type { StoredResource } from '../../model/resource'
import { base64Url, fromBase64Url } from '../../lib/ids'
import type { ListParams } from './query'

export interface ListSettings {
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

/** A page's row: the resource and the value it is sorted by (for the next cursor). */
interface PageRow {
  resource: StoredResource
  sortKey: SqlParam
}

/**
 * The reads of a list request, to send in one batch: the total, the page's rows, and the page's
 * ids as a subquery (for the relation shown with them); `page` assembles the answer.
 */
export interface ListPlan {
  count: Read<number>
  rows: Read<PageRow[]>
  ids: SqlFragment
  page(total: number, rows: PageRow[]): ListPage
}

const sortKeyOf = (row: ReadRow): SqlParam => {
  const v = row.sort_key
  return typeof v === 'string' || typeof v === 'number' ? v : null
}

/** Plans a list request: filter compile, sort, index or cursor paging (RFC 7644 §3.4.2). */
export function planList(params: ListParams, s: ListSettings, tenant: TenantScope): ListPlan {
  const ctx: CompileContext = { tenant, resolve: s.resolve, table: s.table }
  const where =
    params.filter !== undefined ? compileFilter(parseFilter(params.filter), ctx) : undefined
  const sort = params.sortBy ? sortExpression(sortPath(params.sortBy), ctx) : undefined
  const { startIndex, count } = pageWindow(params, s)
  const cursorMode = params.cursor !== undefined
  const page: PageRequest = cursorMode
    ? { kind: 'cursor', after: decodeCursor(params.cursor ?? ''), limit: count + 1 }
    : { kind: 'index', offset: startIndex - 1, limit: count }
  const q = buildListQuery({
    tenant,
    table: s.table,
    where,
    sort,
    descending: params.sortOrder === 'descending',
    page,
  })
  // The relation read repeats the page's query: it must fit in one D1 statement too.
  if (q.ids.params.length + tenant.params.length > D1_MAX_PARAMS) {
    throw badRequest(
      'invalidFilter',
      `Filter is too complex: with paging it needs more than ${String(D1_MAX_PARAMS)} values`
    )
  }
  return {
    count: { ...q.count, map: (rows) => col.int(rows[0] ?? {}, 'n') },
    rows: {
      ...q.rows,
      map: (rows) => rows.map((r) => ({ resource: fromReadRow(r), sortKey: sortKeyOf(r) })),
    },
    ids: q.ids,
    page: (total, raw) => {
      const pageRows = count === 0 ? [] : raw.slice(0, count)
      const last = pageRows.at(-1)
      const more = cursorMode && raw.length > count && last !== undefined
      return {
        resources: pageRows.map((r) => r.resource),
        totalResults: total,
        startIndex: cursorMode ? undefined : startIndex,
        nextCursor: more ? encodeCursor({ key: last.sortKey, id: last.resource.id }) : undefined,
      }
    },
  }
}

function sortPath(sortBy: string) {
  const path = parsePatchPath(sortBy)
  if (path.filter)
    throw badRequest('invalidValue', 'sortBy must name an attribute, not a value filter')
  return path.attr
}

function encodeCursor(pos: CursorPosition): string {
  return base64Url(new TextEncoder().encode(JSON.stringify([pos.key, pos.id])))
}

/** An empty cursor asks for the first page (RFC 9865 §2.1). */
function decodeCursor(text: string): CursorPosition | undefined {
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
