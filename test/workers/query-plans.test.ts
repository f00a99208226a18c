/**
 * The reads that must stay fast at a few million rows per tenant are answered from index ranges:
 * checked on the real D1 schema with EXPLAIN QUERY PLAN.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { parseFilter } from '../../src/scim/filter/parser'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolverFor } from '../../src/scim/schemas'
import { compileFilter } from '../../src/storage/filter-sql/compile'
import { GROUP_TABLE, USER_TABLE } from '../../src/storage/filter-sql/targets'
import { buildListQuery } from '../../src/storage/list-query'
import { regionDb } from '../../src/storage/db'
import { encodeKeyCursor } from '../../src/storage/page'
import { buildGroupListQuery } from '../../src/storage/repos/group-list'
import {
  buildHistoryQuery,
  buildOpFamilyQuery,
  type HistoryQuery,
} from '../../src/storage/repos/history-query'
import { roleUseQuery } from '../../src/storage/repos/role-use'
import { linkAgentsStatements } from '../../src/storage/repos/agents'
import { buildUserListQuery } from '../../src/storage/repos/user-list'
import { outerPlan, queryPlan, unboundedReads } from '../support/query-plan'
import { tenantIs, tenantOfKey } from '../../src/storage/read-batch'
import { groupsColumn, groupsOfUsersRead } from '../../src/storage/repos/relations'

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
      tenant: tenantIs('t1'),
      resolve: resolverFor(USER_RESOURCE_TYPE),
      table: USER_TABLE,
    })
    const q = buildListQuery({
      tenant: tenantIs('t1'),
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

  // The SCIM endpoint scopes its reads to the tenant of the caller's key, in the same query.
  const tenant = tenantOfKey('k1', 'hash')
  const users = { tenant, resolve: resolverFor(USER_RESOURCE_TYPE), table: USER_TABLE }
  const groups = { tenant, resolve: resolverFor(GROUP_RESOURCE_TYPE), table: GROUP_TABLE }
  const orFilters = [
    [
      'userName eq "ada@contoso.com" or emails.value eq "ada@contoso.com"',
      users,
      [
        'SEARCH u USING INDEX users_user_name (tenant_id=? AND user_name_ci=?)',
        'SEARCH v USING INDEX user_values_lookup (tenant_id=? AND attr=? AND value_ci=?)',
      ],
    ],
    [
      'displayName eq "Sales" or externalId eq "g-1"',
      groups,
      [
        'SEARCH g USING INDEX groups_display_name (tenant_id=? AND display_name_ci=?)',
        'SEARCH g USING INDEX groups_external_id (tenant_id=? AND external_id_ci=?)',
      ],
    ],
  ] as const
  const pages = [
    ['first page', { kind: 'index', offset: 0, limit: 10 }],
    ['later page', { kind: 'index', offset: 20, limit: 10 }],
    ['cursor page', { kind: 'cursor', after: { key: null, id: 'x9' }, limit: 10 }],
  ] as const
  it.for(
    orFilters.flatMap(([filter, ctx, lines]) =>
      pages.map(([label, page]) => [`${filter} (${label})`, filter, ctx, page, lines] as const)
    )
  )(
    'Should answer the SCIM filter %s with one index lookup per OR branch',
    async ([, filter, ctx, page, lines], { expect }) => {
      const q = buildListQuery({
        tenant,
        table: ctx.table,
        where: compileFilter(parseFilter(filter), ctx),
        sort: undefined,
        descending: false,
        page,
      })
      for (const query of [q.count, q.rows]) {
        const plan = await queryPlan(query)
        expect(plan).toEqual(expect.arrayContaining(['MULTI-INDEX OR', ...lines]))
        expect(unboundedReads(plan, ['u', 'v', 'g'])).toEqual([])
      }
    }
  )

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

  it("Should rewrite agents' links by primary key, whatever the tenant's number of agents", async ({
    expect,
  }) => {
    const links = [
      { agentId: 'a1', userId: 'u1', rule: 'upn' as const },
      { agentId: 'a2', userId: null, rule: null },
    ]
    const [statement] = linkAgentsStatements('t1', links, '2026-01-01T00:00:00.000Z')
    const plan = await queryPlan(statement?.toSQL() ?? { sql: '', params: [] })
    expect(plan).toContain(
      'SEARCH agents USING COVERING INDEX sqlite_autoindex_agents_1 (tenant_id=? AND id=?)'
    )
    expect(unboundedReads(plan, ['agents'])).toEqual([])
  })

  it('Should count the groups carrying a page of roles from the role index alone', async ({
    expect,
  }) => {
    const plan = await queryPlan(roleUseQuery(regionDb(env, 'us'), 't1', ['r1', 'r2']).toSQL())
    expect(plan.filter((l) => l.includes(' g') || l.includes('groups'))).toEqual([
      expect.stringMatching(
        /^SEARCH groups USING COVERING INDEX groups_role \(tenant_id=\? AND role_id=\?\)$/
      ),
    ])
    expect(unboundedReads(plan, ['groups'])).toEqual([])
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

  const cursor = '01a2461e-bd96-7000-b7bc-009fe09b3cbb'
  it.for<[string, Omit<HistoryQuery, 'limit'>, string]>([
    ['nothing', { cursor }, 'sqlite_autoindex_history_1 (tenant_id=? AND id<?)'],
    [
      'a time range and an instance',
      { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', instanceId: 'i1' },
      'sqlite_autoindex_history_1 (tenant_id=? AND id>? AND id<?)',
    ],
    [
      'a common actor',
      { actor: 'scim', cursor },
      'sqlite_autoindex_history_1 (tenant_id=? AND id<?)',
    ],
    [
      'a user, op and actor',
      { userId: 'u1', op: 'user.update', actor: 'scim', cursor },
      'history_user (tenant_id=? AND user_id=? AND id<?)',
    ],
    [
      'a group and an op family',
      { groupId: 'g1', op: 'membership.', from: '2026-01-01T00:00:00Z' },
      'history_resource (tenant_id=? AND resource_id=? AND id>?)',
    ],
    [
      'an op, actor and instance',
      { op: 'dnt.add', actor: 'sync', instanceId: 'i1', cursor },
      'history_op (tenant_id=? AND op=? AND id<?)',
    ],
    [
      'a rare actor',
      { actor: 'operator', cursor },
      'history_actor (tenant_id=? AND actor=? AND id<?)',
    ],
    [
      'a console admin',
      { actorId: 'a1', cursor },
      'history_actor (tenant_id=? AND actor=? AND id<?)',
    ],
  ])(
    'Should walk one index newest first for %s, never sorting',
    async ([, query, index], { expect }) => {
      const plan = await queryPlan(buildHistoryQuery('t1', { ...query, limit: 100 }))
      expect(plan).toEqual([`SEARCH h USING INDEX ${index}`])
    }
  )

  it('Should read an op family as one bounded walk of the op index per op', async ({ expect }) => {
    const plan = await queryPlan(
      buildHistoryQuery('t1', { op: 'user.', actor: 'scim', cursor, limit: 100 }, [
        'user.create',
        'user.update',
      ])
    )
    expect(plan.filter((l) => l.startsWith('SEARCH'))).toEqual([
      'SEARCH h USING INDEX history_op (tenant_id=? AND op=? AND id<?)',
      'SEARCH h USING INDEX history_op (tenant_id=? AND op=? AND id<?)',
    ])
    expect(unboundedReads(plan, ['h'])).toEqual([])
    const family = await queryPlan(buildOpFamilyQuery('t1', 'user.'))
    expect(family.filter((l) => l.startsWith('SEARCH') || l.startsWith('SCAN history'))).toEqual([
      'SEARCH history USING COVERING INDEX history_op (tenant_id=? AND op>? AND op<?)',
      'SEARCH history USING COVERING INDEX history_op (tenant_id=? AND op>? AND op<?)',
    ])
  })

  it("Should answer a lookup scoped by the caller's key, and its page's groups, from indexes", async ({
    expect,
  }) => {
    const tenant = tenantOfKey('k1', 'hash')
    const where = compileFilter(parseFilter('userName eq "ada@example.com"'), {
      tenant,
      resolve: resolverFor(USER_RESOURCE_TYPE),
      table: USER_TABLE,
    })
    const q = buildListQuery({
      tenant,
      table: USER_TABLE,
      where,
      sort: undefined,
      descending: false,
      page: { kind: 'index', offset: 0, limit: 100 },
      columns: [groupsColumn('u')],
    })
    // The page with its total and each user's groups, as the SCIM endpoint reads it.
    const rows = await queryPlan(q.rowsWithTotal)
    expect(rows).toContain('SEARCH u USING INDEX users_user_name (tenant_id=? AND user_name_ci=?)')
    expect(rows).toContain('SEARCH k USING INDEX sqlite_autoindex_scim_keys_1 (id=?)')
    expect(rows).toContain('SEARCH gm USING INDEX group_members_user (tenant_id=? AND user_id=?)')
    expect(unboundedReads(rows, ['u', 'k', 'gm', 'g'])).toEqual([])
    const groups = await queryPlan(groupsOfUsersRead(tenant, q.ids))
    expect(groups).toContain('SEARCH gm USING INDEX group_members_user (tenant_id=? AND user_id=?)')
    expect(unboundedReads(groups, ['u', 'k', 'gm', 'g'])).toEqual([])
  })
})
