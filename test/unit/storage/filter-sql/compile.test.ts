import { describe, it } from 'vitest'
import { parseFilter } from '../../../../src/scim/filter/parser'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolverFor } from '../../../../src/scim/schemas'
import { compileFilter } from '../../../../src/storage/filter-sql/compile'
import type { SqlFragment } from '../../../../src/storage/filter-sql/compare'
import { GROUP_TABLE, USER_TABLE } from '../../../../src/storage/filter-sql/targets'
import { tenantIs } from '../../../../src/storage/read-batch'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const users = (filter: string) =>
  compileFilter(parseFilter(filter), {
    tenant: tenantIs('t1'),
    resolve: resolverFor(USER_RESOURCE_TYPE),
    table: USER_TABLE,
  })
const groups = (filter: string) =>
  compileFilter(parseFilter(filter), {
    tenant: tenantIs('t1'),
    resolve: resolverFor(GROUP_RESOURCE_TYPE),
    table: GROUP_TABLE,
  })

describe('compileFilter: sw', () => {
  it.for<[string, SqlFragment]>([
    [
      'userName sw "Ad"',
      { sql: '(u.user_name_ci >= ? AND u.user_name_ci < ?)', params: ['ad', 'ae'] },
    ],
    [
      'displayName sw "Ada L"',
      { sql: '(u.display_name_ci >= ? AND u.display_name_ci < ?)', params: ['ada l', 'ada m'] },
    ],
    [
      `${ENTERPRISE}:employeeNumber sw 70`,
      { sql: '(u.employee_number_ci >= ? AND u.employee_number_ci < ?)', params: ['70', '71'] },
    ],
    [
      'emails.value sw "Ada@"',
      {
        sql: "u.id IN (SELECT v.user_id FROM user_values v WHERE v.tenant_id = ? AND v.attr = 'emails' AND (v.value_ci >= ? AND v.value_ci < ?))",
        params: ['t1', 'ada@', 'adaA'],
      },
    ],
    ['externalId sw ""', { sql: 'u.external_id_ci >= ?', params: [''] }],
    [
      'not (userName sw "b")',
      { sql: 'NOT coalesce((u.user_name_ci >= ? AND u.user_name_ci < ?), 0)', params: ['b', 'c'] },
    ],
  ])('Should compile %s on a stored column to an index range', ([filter, expected], { expect }) => {
    expect(users(filter)).toEqual(expected)
  })

  it('Should compile a group displayName prefix to a range on its indexed column', ({ expect }) => {
    expect(groups('displayName sw "Sales"')).toEqual({
      sql: '(g.display_name_ci >= ? AND g.display_name_ci < ?)',
      params: ['sales', 'salet'],
    })
  })

  it('Should keep substr() for attributes read from the JSON document', ({ expect }) => {
    expect(users('name.familyName sw "Lo"')).toEqual({
      sql: `substr(lower(json_extract(u.data, '$.name.familyName')), 1, ?) = ?`,
      params: [2, 'lo'],
    })
  })
})
