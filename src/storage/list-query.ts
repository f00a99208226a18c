/**
 * @module Builds the count and page queries of a list or search request: tenant scope, the
 * compiled filter, ordering (sortBy then id, so pages are stable), and either index paging
 * (startIndex/count, RFC 7644 §3.4.2.4) or keyset cursor paging (RFC 9865).
 */
import type { SqlFragment, SqlParam } from './filter-sql/compare'
import type { CompiledFilter } from './filter-sql/compile'
import type { ResourceTable } from './filter-sql/targets'
import type { TenantScope } from './read-batch'
import { resourceColumnsOf } from './repos/documents'

/** Where a cursor page starts: after the row with this sort key and id. */
export interface CursorPosition {
  key: SqlParam
  id: string
}

export type PageRequest =
  | { kind: 'index'; offset: number; limit: number }
  | { kind: 'cursor'; after: CursorPosition | undefined; limit: number }

export interface ListQuery {
  tenant: TenantScope
  table: ResourceTable
  where: CompiledFilter | undefined
  /** SQL expression to order by before id; undefined orders by id (creation order). */
  sort: string | undefined
  descending: boolean
  page: PageRequest
  /** More columns of each page row: SQL expressions over the table's alias, with no parameter. */
  columns?: readonly string[] | undefined
}

export interface BuiltQuery {
  count: SqlFragment
  rows: SqlFragment
  /**
   * The page's rows, each also carrying the total as `total_n`: the count is an uncorrelated
   * subquery, computed once, so the page and its total are one statement. An empty page
   * carries no total.
   */
  rowsWithTotal: SqlFragment
  /** The ids of the page's rows, as a subquery: reads of their relations travel with the page. */
  ids: SqlFragment
}

/**
 * The count and page queries. A filter scoped inside each OR branch (compile.ts) is answered by
 * one index lookup per branch: the query's own tenant scope and id cursor are then written
 * `+column`, which SQLite never uses to pick an index, so neither can turn the lookups into a
 * walk of the tenant. The scope stays, so no row of another tenant can ever match.
 */
export function buildListQuery(q: ListQuery): BuiltQuery {
  const { alias, table } = q.table
  const residual = q.where?.tenantScoped ? '+' : ''
  const base = `FROM ${table} ${alias} WHERE ${residual}${alias}.tenant_id = ${q.tenant.sql}${q.where ? ` AND ${q.where.sql}` : ''}`
  const baseParams: SqlParam[] = [...q.tenant.params, ...(q.where?.params ?? [])]
  const key = q.sort === undefined ? undefined : `ifnull(${q.sort}, '')`
  const dir = q.descending ? 'DESC' : 'ASC'
  const order = key === undefined ? `${alias}.id ${dir}` : `${key} ${dir}, ${alias}.id ${dir}`
  const columns = [...(key === undefined ? [] : [`${key} AS sort_key`]), ...(q.columns ?? [])]
  const select = [`SELECT ${resourceColumnsOf(alias)}`, ...columns].join(', ')
  const count = { sql: `SELECT count(*) AS n ${base}`, params: baseParams }
  const window = pageWindow(q, alias, key, base, baseParams)
  const page = { sql: `${window.sql} ORDER BY ${order} ${window.limit}`, params: window.params }
  return {
    count,
    rows: { sql: `${select} ${page.sql}`, params: page.params },
    rowsWithTotal: {
      sql: `${select}, (${count.sql}) AS total_n ${page.sql}`,
      params: [...count.params, ...page.params],
    },
    ids: { sql: `(SELECT ${alias}.id ${page.sql})`, params: page.params },
  }
}

/** FROM … WHERE of the page's rows (with the cursor's keyset), and its LIMIT clause. */
function pageWindow(
  q: ListQuery,
  alias: string,
  key: string | undefined,
  base: string,
  baseParams: SqlParam[]
): { sql: string; limit: string; params: SqlParam[] } {
  if (q.page.kind === 'index') {
    return {
      sql: base,
      limit: 'LIMIT ? OFFSET ?',
      params: [...baseParams, q.page.limit, q.page.offset],
    }
  }
  const after = q.page.after
  const residual = q.where?.tenantScoped ? '+' : ''
  const id = `${residual}${alias}.id`
  const keyset = after ? keysetCondition(id, key, q.descending, after) : undefined
  return {
    sql: `${base}${keyset ? ` AND ${keyset.sql}` : ''}`,
    limit: 'LIMIT ?',
    params: [...baseParams, ...(keyset?.params ?? []), q.page.limit],
  }
}

function keysetCondition(
  id: string,
  key: string | undefined,
  descending: boolean,
  after: CursorPosition
): SqlFragment {
  const cmp = descending ? '<' : '>'
  if (key === undefined) return { sql: `${id} ${cmp} ?`, params: [after.id] }
  return {
    sql: `(${key} ${cmp} ? OR (${key} = ? AND ${id} ${cmp} ?))`,
    params: [after.key, after.key, after.id],
  }
}
