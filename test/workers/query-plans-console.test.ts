/**
 * The reads of the console's user and group pages are key lookups and index ranges, never a
 * walk of a tenant's agents, groups or keys: checked on the real D1 schema with EXPLAIN QUERY
 * PLAN (as query-plans.test.ts does for the lists and the history).
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { regionDb } from '../../src/storage/db'
import { agentListQuery } from '../../src/storage/repos/agent-views'
import { buildHistoryNamesQuery } from '../../src/storage/repos/history-names'
import { deletionsListQuery } from '../../src/storage/repos/deletions'
import {
  activeAgentsQuery,
  firstMemberAgentsQuery,
  firstMemberUsersQuery,
  groupMemberUsersQuery,
} from '../../src/storage/repos/views'
import { outerPlan, queryPlan, unboundedReads } from '../support/query-plan'

describe('Query plans of the user and group pages', () => {
  it('Should name the ids of a history page by key lookups only', async ({ expect }) => {
    const query = buildHistoryNamesQuery('t1', {
      group: ['g1'],
      agent: ['a1'],
      role: ['r1'],
      instance: ['i1'],
      key: ['k1'],
    })
    const plan = await queryPlan(query ?? { sql: 'SELECT 1', params: [] })
    expect(plan.filter((l) => l.startsWith('SEARCH'))).toEqual([
      'SEARCH groups USING INDEX sqlite_autoindex_groups_1 (tenant_id=? AND id=?)',
      'SEARCH agents USING INDEX sqlite_autoindex_agents_1 (tenant_id=? AND id=?)',
      'SEARCH roles USING INDEX sqlite_autoindex_roles_1 (tenant_id=? AND id=?)',
      'SEARCH instances USING INDEX sqlite_autoindex_instances_1 (id=?)',
      'SEARCH scim_keys USING INDEX sqlite_autoindex_scim_keys_1 (id=?)',
    ])
    expect(
      buildHistoryNamesQuery('t1', { group: [], agent: [], role: [], instance: [], key: [] })
    ).toBeNull()
  })

  it("Should page a group's members along the membership key, without sorting", async ({
    expect,
  }) => {
    const query = groupMemberUsersQuery(regionDb(env, 'us'), 't1', 'g1', {
      limit: 50,
      cursor: 'u1',
    }).toSQL()
    expect(await queryPlan(query)).toEqual([
      'SEARCH group_members USING COVERING INDEX sqlite_autoindex_group_members_1 (tenant_id=? AND group_id=? AND user_id>?)',
      'SEARCH users USING INDEX sqlite_autoindex_users_1 (tenant_id=? AND id=?)',
    ])
    const agents = await outerPlan(
      activeAgentsQuery(regionDb(env, 'us'), 't1', ['u1', 'u2']).toSQL()
    )
    expect(agents).toContain('SEARCH agents USING INDEX agents_user (tenant_id=? AND user_id=?)')
    expect(unboundedReads(agents, ['agents'])).toEqual([])
  })

  it("Should show a group's first members and their agents from the group, not the tenant", async ({
    expect,
  }) => {
    const db = regionDb(env, 'us')
    const users = await outerPlan(firstMemberUsersQuery(db, 't1', 'g1', 10).toSQL())
    expect(users.slice(0, 2)).toEqual([
      'SEARCH group_members USING COVERING INDEX sqlite_autoindex_group_members_1 (tenant_id=? AND group_id=?)',
      'SEARCH users USING INDEX sqlite_autoindex_users_1 (tenant_id=? AND id=?)',
    ])
    const agents = await outerPlan(firstMemberAgentsQuery(db, 't1', 'g1', 10).toSQL())
    expect(agents.slice(0, 2)).toEqual([
      'SEARCH group_members USING COVERING INDEX sqlite_autoindex_group_members_1 (tenant_id=? AND group_id=?)',
      'SEARCH agents USING INDEX agents_user (tenant_id=? AND user_id=?)',
    ])
    expect(unboundedReads(agents, ['agents', 'group_members'])).toEqual([])
  })

  it('Should page deletions of one status from their index, not the whole tenant', async ({
    expect,
  }) => {
    const db = regionDb(env, 'us')
    const query = deletionsListQuery(db, 't1', { status: 'failed', before: 'd9', limit: 50 })
    expect(await queryPlan(query.toSQL())).toEqual([
      'SEARCH deletions USING INDEX deletions_status_id (tenant_id=? AND status=? AND id<?)',
    ])
  })

  it("Should read a user's agents by the user index, never walking the tenant", async ({
    expect,
  }) => {
    const query = agentListQuery(regionDb(env, 'us'), 't1', { userId: 'u1', limit: 1000 }).toSQL()
    const plan = await outerPlan(query)
    expect(plan[0]).toBe('SEARCH agents USING INDEX agents_user (tenant_id=? AND user_id=?)')
    expect(unboundedReads(plan, ['agents'])).toEqual([])
  })
})
