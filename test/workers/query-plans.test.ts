/**
 * The reads that must stay fast at a few million rows per tenant are answered from index ranges:
 * checked on the real D1 schema with EXPLAIN QUERY PLAN.
 */
import { describe, it } from 'vitest'
import { parseFilter } from '../../src/scim/filter/parser'
import { USER_RESOURCE_TYPE, resolverFor } from '../../src/scim/schemas'
import { compileFilter } from '../../src/storage/filter-sql/compile'
import { USER_TABLE } from '../../src/storage/filter-sql/targets'
import { buildListQuery } from '../../src/storage/list-query'
import { encodeKeyCursor } from '../../src/storage/page'
import { buildGroupListQuery } from '../../src/storage/repos/group-list'
import { buildUserListQuery } from '../../src/storage/repos/user-list'
import { outerPlan, queryPlan, unboundedReads } from '../support/query-plan'

describe('Query plans', () => {
  it.for([
    [
      'userName sw "ad"',
      'SEARCH u USING INDEX users_user_name (tenant_id=? AND user_name_ci>? AND user_name_ci<?)',
    ],
    [
      'emails.value sw "ad"',
      'SEARCH v USING INDEX user_values_lookup (tenant_id=? AND attr=? AND value_ci>? AND value_ci<?)',
    ],
  ])('Should answer the SCIM filter %s from an index range', async ([filter, line], { expect }) => {
    const where = compileFilter(parseFilter(filter ?? ''), {
      tenantId: 't1',
      resolve: resolverFor(USER_RESOURCE_TYPE),
      table: USER_TABLE,
    })
    const q = buildListQuery({
      tenantId: 't1',
      table: USER_TABLE,
      where,
      sort: undefined,
      descending: false,
      page: { kind: 'cursor', after: undefined, limit: 10 },
    })
    const plan = await queryPlan(q.rows)
    expect(plan).toContain(line)
    expect(unboundedReads(plan, ['u', 'v'])).toEqual([])
  })

  it('Should list groups along the displayName index, counting members by key', async ({
    expect,
  }) => {
    const plan = await queryPlan(
      buildGroupListQuery('t1', { q: 'sa', cursor: encodeKeyCursor('sales'), limit: 50 })
    )
    expect(plan).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^SEARCH g USING INDEX groups_display_name \(tenant_id=\? AND display_name_ci>\? AND display_name_ci<\?\)$/
        ),
        'SEARCH m USING COVERING INDEX sqlite_autoindex_group_members_1 (tenant_id=? AND group_id=?)',
        'SEARCH a USING INDEX agents_user (tenant_id=? AND user_id=?)',
        'SEARCH r USING INDEX sqlite_autoindex_roles_1 (tenant_id=? AND id=?) LEFT-JOIN',
      ])
    )
    expect(plan.filter((l) => l.includes('TEMP B-TREE'))).toEqual([])
    expect(unboundedReads(plan, ['g', 'm', 'a', 'r'])).toEqual([])
  })

  it('Should answer the user search from one index range per attribute, with state and cursor', async ({
    expect,
  }) => {
    const plan = await queryPlan(
      buildUserListQuery('t1', {
        q: 'ad',
        state: 'active',
        cursor: encodeKeyCursor('ada@contoso.com'),
        limit: 50,
      })
    )
    expect(plan).toEqual(
      expect.arrayContaining([
        'MULTI-INDEX OR',
        'SEARCH u USING INDEX users_user_name (tenant_id=? AND user_name_ci>? AND user_name_ci<?)',
        'SEARCH u USING INDEX users_display_name (tenant_id=? AND display_name_ci>? AND display_name_ci<?)',
        'SEARCH v USING INDEX user_values_lookup (tenant_id=? AND attr=? AND value_ci>? AND value_ci<?)',
        'SEARCH u USING INDEX sqlite_autoindex_users_1 (tenant_id=? AND id=?)',
        'SEARCH u USING INDEX users_employee_number (tenant_id=? AND employee_number_ci>? AND employee_number_ci<?)',
      ])
    )
    expect(unboundedReads(plan, ['u', 'v', 't', 'rr', 'dr', 'rg', 'a', 'd'])).toEqual([])
  })

  it('Should list users along the userName index from the cursor, without sorting', async ({
    expect,
  }) => {
    const query = buildUserListQuery('t1', {
      state: 'suspended',
      cursor: encodeKeyCursor('m'),
      limit: 50,
    })
    const plan = await queryPlan(query)
    expect(plan).toContain('SEARCH u USING INDEX users_user_name (tenant_id=? AND user_name_ci>?)')
    // Only a user's own emails are sorted (to pick the primary one), never the page.
    expect(await outerPlan(query)).not.toContain('USE TEMP B-TREE FOR ORDER BY')
    expect(unboundedReads(plan, ['u', 't', 'rr', 'dr', 'rg', 'a', 'd'])).toEqual([])
  })
})
