import { describe, it } from 'vitest'
import { parseFilter } from '../../../../src/scim/filter/parser'
import { USER_RESOURCE_TYPE, resolverFor } from '../../../../src/scim/schemas'
import { compileFilter, compileScopedOr } from '../../../../src/storage/filter-sql/compile'
import { orBranches } from '../../../../src/storage/filter-sql/scoped-or'
import { USER_TABLE } from '../../../../src/storage/filter-sql/targets'
import { userSearchFilter } from '../../../../src/storage/repos/user-list'
import { tenantIs } from '../../../../src/storage/read-batch'

const ctx = { tenant: tenantIs('t1'), resolve: resolverFor(USER_RESOURCE_TYPE), table: USER_TABLE }

describe('Tenant-scoped OR branches', () => {
  it('Should put the tenant scope inside every branch of a top-level OR', ({ expect }) => {
    expect(
      compileScopedOr(
        parseFilter('userName eq "a" or (displayName sw "B" and active eq true)'),
        ctx
      )
    ).toEqual({
      sql: '((u.tenant_id = ? AND u.user_name_ci = ?) OR (u.tenant_id = ? AND ((u.display_name_ci >= ? AND u.display_name_ci < ?) AND u.active = ?)))',
      params: ['t1', 'a', 't1', 'b', 'c', 1],
    })
  })

  it('Should scope the top-level OR of a SCIM filter, and say so', ({ expect }) => {
    expect(compileFilter(parseFilter('userName eq "a" or externalId eq "B"'), ctx)).toEqual({
      sql: '((u.tenant_id = ? AND u.user_name_ci = ?) OR (u.tenant_id = ? AND u.external_id_ci = ?))',
      params: ['t1', 'a', 't1', 'b'],
      tenantScoped: true,
    })
    expect(compileFilter(parseFilter('userName eq "a" and externalId eq "B"'), ctx)).toEqual({
      sql: '(u.user_name_ci = ? AND u.external_id_ci = ?)',
      params: ['a', 'b'],
    })
  })

  it('Should leave an OR whose scoped form would pass the parameter limit as it is', ({
    expect,
  }) => {
    const anyOf = (n: number) =>
      parseFilter(Array.from({ length: n }, (_, i) => `userName sw "u${String(i)}"`).join(' or '))
    // Each prefix is two parameters, and a third once scoped: 32 of them would need 96.
    const long = compileFilter(anyOf(32), ctx)
    expect(long.tenantScoped).toBeUndefined()
    expect(long.params).toHaveLength(64)
    expect(long.sql).not.toContain('tenant_id')
    expect(compileFilter(anyOf(30), ctx)).toMatchObject({ tenantScoped: true })
  })

  it('Should scope a filter without OR as one branch', ({ expect }) => {
    expect(compileScopedOr(parseFilter('userName sw "a"'), ctx)).toEqual({
      sql: '((u.tenant_id = ? AND (u.user_name_ci >= ? AND u.user_name_ci < ?)))',
      params: ['t1', 'a', 'b'],
    })
  })
})

describe('userSearchFilter', () => {
  it('Should be the SCIM filter over userName, displayName, emails and employeeNumber', ({
    expect,
  }) => {
    expect(userSearchFilter('Ad')).toEqual(
      parseFilter(
        'userName sw "Ad" or displayName sw "Ad" or emails.value sw "Ad" or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw "Ad"'
      )
    )
    expect(orBranches(userSearchFilter('x'))).toHaveLength(4)
  })

  it('Should compile to one index range per attribute, each scoped to the tenant', ({ expect }) => {
    const compiled = compileScopedOr(userSearchFilter('Ad'), ctx)
    expect(compiled.sql).toBe(
      "((u.tenant_id = ? AND (u.user_name_ci >= ? AND u.user_name_ci < ?)) OR (u.tenant_id = ? AND (u.display_name_ci >= ? AND u.display_name_ci < ?)) OR (u.tenant_id = ? AND u.id IN (SELECT v.user_id FROM user_values v WHERE v.tenant_id = ? AND v.attr = 'emails' AND (v.value_ci >= ? AND v.value_ci < ?))) OR (u.tenant_id = ? AND (u.employee_number_ci >= ? AND u.employee_number_ci < ?)))"
    )
    expect(compiled.params).toEqual([
      't1',
      'ad',
      'ae',
      't1',
      'ad',
      'ae',
      't1',
      't1',
      'ad',
      'ae',
      't1',
      'ad',
      'ae',
    ])
  })
})
