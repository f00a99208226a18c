/**
 * @module Lists of SCIM resources (Users, Groups) in a regional database: the filter compiled to
 * SQL, the sort, index or cursor paging (RFC 7644 §3.4.2, RFC 9865), planned as reads (total,
 * page, the page's ids) that travel in the request's one D1 batch, and the page's rows decoded.
 * The cursor names the last row's sort key and id, so the next page continues strictly after it.
 */
import type { StoredResource } from '../model/resource'
import { badRequest } from '../scim/errors'
import { parseFilter, parsePatchPath } from '../scim/filter/parser'
import { pageWindow, type PagingParams } from '../scim/paging'
import type { Resolver } from '../scim/schemas/attribute'
import type { SqlFragment, SqlParam } from './filter-sql/compare'
import { compileFilter, type CompileContext } from './filter-sql/compile'
import { sortExpression } from './filter-sql/sort'
import type { ResourceTable } from './filter-sql/targets'
import { buildListQuery, type CursorPosition, type PageRequest } from './list-query'
import { decodeJsonCursor, encodeJsonCursor } from './page'
import { D1_MAX_PARAMS, col, type Read, type ReadRow, type TenantScope } from './read-batch'
import { fromReadRow } from './repos/documents'

/** What a list request asks for (RFC 7644 §3.4.2): its query parameters or SearchRequest. */
export interface ListRequest extends PagingParams {
  filter?: string | undefined
  sortBy?: string | undefined
  sortOrder?: 'ascending' | 'descending' | undefined
  cursor?: string | undefined
}

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
export function planList(params: ListRequest, s: ListSettings, tenant: TenantScope): ListPlan {
  const ctx: CompileContext = { tenant, resolve: s.resolve, table: s.table }
  const where =
    params.filter !== undefined ? compileFilter(parseFilter(params.filter), ctx) : undefined
  const sort = params.sortBy ? sortExpression(sortPath(params.sortBy), ctx) : undefined
  const window = pageWindow(params, s)
  const cursorMode = params.cursor !== undefined
  const page: PageRequest = cursorMode
    ? { kind: 'cursor', after: decodeCursor(params.cursor ?? ''), limit: window.count + 1 }
    : { kind: 'index', offset: window.startIndex - 1, limit: window.count }
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
    page: (total, raw) => pageFrom(total, raw, window, cursorMode),
  }
}

/**
 * The page of rows read: `count` of them (a cursor read fetched one more, to know whether a
 * next page exists and name it by the last row's sort key and id).
 */
function pageFrom(
  total: number,
  raw: PageRow[],
  window: { startIndex: number; count: number },
  cursorMode: boolean
): ListPage {
  const rows = window.count === 0 ? [] : raw.slice(0, window.count)
  const last = rows.at(-1)
  const more = cursorMode && raw.length > window.count && last !== undefined
  return {
    resources: rows.map((r) => r.resource),
    totalResults: total,
    startIndex: cursorMode ? undefined : window.startIndex,
    nextCursor: more ? encodeCursor({ key: last.sortKey, id: last.resource.id }) : undefined,
  }
}

function sortPath(sortBy: string) {
  const path = parsePatchPath(sortBy)
  if (path.filter)
    throw badRequest('invalidValue', 'sortBy must name an attribute, not a value filter')
  return path.attr
}

const encodeCursor = (pos: CursorPosition): string => encodeJsonCursor([pos.key, pos.id])

/** An empty cursor asks for the first page (RFC 9865 §2.1). */
function decodeCursor(text: string): CursorPosition | undefined {
  if (text === '') return undefined
  const value = decodeJsonCursor(text)
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
