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
import {
  buildListQuery,
  type BuiltQuery,
  type CursorPosition,
  type PageRequest,
} from './list-query'
import { decodeJsonCursor, encodeJsonCursor } from './page'
import {
  D1_MAX_PARAMS,
  col,
  readOne,
  type Read,
  type ReadRow,
  type TenantScope,
} from './read-batch'
import { fromReadRow, resourceColumnsOf } from './repos/documents'

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
  /** More columns of each page row (e.g. a relation folded into the row), without parameters. */
  columns?: readonly string[]
}

export interface ListPage {
  resources: StoredResource[]
  totalResults: number
  startIndex: number | undefined
  nextCursor: string | undefined
}

/** A page's row: the resource, the value it is sorted by (for the next cursor), the row read. */
interface PageRow {
  resource: StoredResource
  sortKey: SqlParam
  row: ReadRow
}

/** A page read: its rows, and the total when the same statement could tell it. */
interface PageRead {
  rows: PageRow[]
  total: number | undefined
}

/**
 * The reads of a list request: `page` is the page's rows with the total in one statement (the
 * total alone when the request asks for no rows); it travels in one batch with any read of the
 * page's `ids` (a subquery, for the relation shown with them). When `page` cannot tell the total
 * (an empty page past the first row, or a filter with too many values to repeat), `count` reads
 * it. `result` assembles the answer.
 */
export interface ListPlan {
  page: Read<PageRead>
  count: Read<number>
  ids: SqlFragment
  result(read: PageRead, total: number): ListPage
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
    columns: s.columns,
  })
  // The relation read repeats the page's query: it must fit in one D1 statement too.
  if (q.ids.params.length + tenant.params.length > D1_MAX_PARAMS) {
    throw badRequest(
      'invalidFilter',
      `Filter is too complex: with paging it needs more than ${String(D1_MAX_PARAMS)} values`
    )
  }
  const count: Read<number> = { ...q.count, map: (rows) => col.int(rows[0] ?? {}, 'n') }
  const atStart = page.kind === 'cursor' ? page.after === undefined : page.offset === 0
  return {
    page: pageRead(q, count, window.count === 0, atStart),
    count,
    ids: q.ids,
    result: (read, total) => pageFrom(total, read.rows, window, cursorMode),
  }
}

/** A resource by id with more columns of its row (see ListSettings.columns), as one statement. */
export function resourceRead(
  table: ResourceTable,
  tenant: TenantScope,
  id: string,
  columns: readonly string[]
): Read<{ resource: StoredResource; row: ReadRow } | undefined> {
  const { table: name, alias } = table
  const select = [resourceColumnsOf(alias), ...columns].join(', ')
  return readOne(
    `SELECT ${select} FROM ${name} ${alias} WHERE ${alias}.tenant_id = ${tenant.sql} AND ${alias}.id = ?`,
    [...tenant.params, id],
    (row) => ({ resource: fromReadRow(row), row })
  )
}

const pageRow = (r: ReadRow): PageRow => ({
  resource: fromReadRow(r),
  sortKey: sortKeyOf(r),
  row: r,
})

/**
 * The page's statement: the total alone when no row is asked for; else the rows with the total
 * (an empty page from the first row has none: 0), or, when repeating the filter for the total
 * would pass D1's parameter limit, the rows alone.
 */
function pageRead(
  q: BuiltQuery,
  count: Read<number>,
  noRows: boolean,
  atStart: boolean
): Read<PageRead> {
  if (noRows) return { ...count, map: (rows) => ({ rows: [], total: count.map(rows) }) }
  if (q.rowsWithTotal.params.length > D1_MAX_PARAMS) {
    return { ...q.rows, map: (rows) => ({ rows: rows.map(pageRow), total: undefined }) }
  }
  return {
    ...q.rowsWithTotal,
    map: (rows) => {
      const first = rows[0]
      const total = first ? col.int(first, 'total_n') : atStart ? 0 : undefined
      return { rows: rows.map(pageRow), total }
    },
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
