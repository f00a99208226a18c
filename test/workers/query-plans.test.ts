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
import { queryPlan, unboundedReads } from '../support/query-plan'

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
})
