import { describe, it } from 'vitest'
import { buildListQuery } from '../../../src/storage/list-query'
import { USER_TABLE } from '../../../src/storage/filter-sql/targets'
import { tenantIs } from '../../../src/storage/read-batch'

const base = {
  tenant: tenantIs('t1'),
  table: USER_TABLE,
  where: undefined,
  sort: undefined,
  descending: false,
}

describe('buildListQuery', () => {
  it('Should scope by tenant and page by offset in id order', ({ expect }) => {
    const q = buildListQuery({ ...base, page: { kind: 'index', offset: 20, limit: 10 } })
    expect(q.count).toEqual({
      sql: 'SELECT count(*) AS n FROM users u WHERE u.tenant_id = ?',
      params: ['t1'],
    })
    expect(q.rows).toEqual({
      sql: 'SELECT u.id, u.data, u.version, u.created_at, u.updated_at FROM users u WHERE u.tenant_id = ? ORDER BY u.id ASC LIMIT ? OFFSET ?',
      params: ['t1', 10, 20],
    })
  })

  it('Should carry the total on each page row, the count as a subquery read first', ({
    expect,
  }) => {
    const q = buildListQuery({
      ...base,
      where: { sql: 'u.user_name_ci = ?', params: ['bob'] },
      page: { kind: 'index', offset: 0, limit: 5 },
      columns: ['(SELECT 1) AS extra'],
    })
    expect(q.rowsWithTotal).toEqual({
      sql: 'SELECT u.id, u.data, u.version, u.created_at, u.updated_at, (SELECT 1) AS extra, (SELECT count(*) AS n FROM users u WHERE u.tenant_id = ? AND u.user_name_ci = ?) AS total_n FROM users u WHERE u.tenant_id = ? AND u.user_name_ci = ? ORDER BY u.id ASC LIMIT ? OFFSET ?',
      params: ['t1', 'bob', 't1', 'bob', 5, 0],
    })
    expect(q.rows.sql).toBe(
      'SELECT u.id, u.data, u.version, u.created_at, u.updated_at, (SELECT 1) AS extra FROM users u WHERE u.tenant_id = ? AND u.user_name_ci = ? ORDER BY u.id ASC LIMIT ? OFFSET ?'
    )
  })

  it('Should add the filter to both queries and sort with id as the tie-breaker', ({ expect }) => {
    const q = buildListQuery({
      ...base,
      where: { sql: 'u.user_name_ci = ?', params: ['bob'] },
      sort: 'u.display_name_ci',
      descending: true,
      page: { kind: 'index', offset: 0, limit: 5 },
    })
    expect(q.count.params).toEqual(['t1', 'bob'])
    expect(q.rows.sql).toBe(
      "SELECT u.id, u.data, u.version, u.created_at, u.updated_at, ifnull(u.display_name_ci, '') AS sort_key FROM users u WHERE u.tenant_id = ? AND u.user_name_ci = ? ORDER BY ifnull(u.display_name_ci, '') DESC, u.id DESC LIMIT ? OFFSET ?"
    )
  })

  it('Should continue a cursor after the last row by key then id', ({ expect }) => {
    const q = buildListQuery({
      ...base,
      sort: 'u.user_name_ci',
      page: { kind: 'cursor', after: { key: 'carol', id: 'id-3' }, limit: 4 },
    })
    expect(q.rows.sql).toContain(
      "AND (ifnull(u.user_name_ci, '') > ? OR (ifnull(u.user_name_ci, '') = ? AND u.id > ?))"
    )
    expect(q.rows.params).toEqual(['t1', 'carol', 'carol', 'id-3', 4])
    const byId = buildListQuery({
      ...base,
      page: { kind: 'cursor', after: { key: null, id: 'x' }, limit: 2 },
    })
    expect(byId.rows).toEqual({
      sql: 'SELECT u.id, u.data, u.version, u.created_at, u.updated_at FROM users u WHERE u.tenant_id = ? AND u.id > ? ORDER BY u.id ASC LIMIT ?',
      params: ['t1', 'x', 2],
    })
  })

  it('Should keep its own scope and id cursor out of index choice for a filter scoped per OR branch', ({
    expect,
  }) => {
    const where = {
      sql: '((u.tenant_id = ? AND u.user_name_ci = ?) OR (u.tenant_id = ? AND u.external_id_ci = ?))',
      params: ['t1', 'a', 't1', 'a'],
      tenantScoped: true as const,
    }
    const q = buildListQuery({
      ...base,
      where,
      page: { kind: 'cursor', after: { key: null, id: 'x' }, limit: 2 },
    })
    expect(q.count.sql).toBe(
      `SELECT count(*) AS n FROM users u WHERE +u.tenant_id = ? AND ${where.sql}`
    )
    expect(q.rows.sql).toBe(
      `SELECT u.id, u.data, u.version, u.created_at, u.updated_at FROM users u WHERE +u.tenant_id = ? AND ${where.sql} AND +u.id > ? ORDER BY u.id ASC LIMIT ?`
    )
    expect(q.rows.params).toEqual(['t1', 't1', 'a', 't1', 'a', 'x', 2])
  })
})
