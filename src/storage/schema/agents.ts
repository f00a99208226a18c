/**
 * @module The agents that report identities from devices, and the merges of several agents of one
 * user into one.
 */
import { sql } from 'drizzle-orm'
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { tenantRef } from './tenants'

/**
 * An identity the desktop agent reports. `user_id` is the linked user (at most one), chosen by
 * `link_rule`. `state`: `active` holds a license; `removed` (its user was deleted) does not;
 * `merged` (an admin merged it into `merged_into`, another agent of the same user, by the merge
 * `merge_id`) does not either: the survivor holds the one license and group membership.
 * `link_state` is what the console filters on, derived so it can never disagree with the rest.
 */
export const agents = sqliteTable(
  'agents',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    logonName: text('logon_name').notNull(),
    domain: text('domain').notNull(),
    email: text('email'),
    upn: text('upn'),
    employeeId: text('employee_id'),
    emailCi: text('email_ci'),
    upnCi: text('upn_ci'),
    employeeIdCi: text('employee_id_ci'),
    lastSeen: text('last_seen').notNull(),
    userId: text('user_id'),
    linkRule: text('link_rule', { enum: ['upn', 'email', 'employeeNumber'] }),
    state: text('state', { enum: ['active', 'removed', 'merged'] }).notNull(),
    removedAt: text('removed_at'),
    mergedInto: text('merged_into'),
    mergeId: text('merge_id'),
    linkState: text('link_state', { enum: ['linked', 'unlinked', 'removed', 'merged'] })
      .notNull()
      .generatedAlwaysAs(
        sql`CASE WHEN state = 'active' THEN (CASE WHEN user_id IS NULL THEN 'unlinked' ELSE 'linked' END) ELSE state END`,
        { mode: 'virtual' }
      ),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('agents_upn').on(t.tenantId, t.upnCi),
    index('agents_email').on(t.tenantId, t.emailCi),
    index('agents_employee_id').on(t.tenantId, t.employeeIdCi),
    index('agents_user').on(t.tenantId, t.userId),
    // The console's filtered, id-ordered pages, and a survivor's merged agents.
    index('agents_link_state').on(t.tenantId, t.linkState, t.id),
    index('agents_merged_into').on(t.tenantId, t.mergedInto),
  ]
)

/**
 * An admin's merge of agents of one user into one (`into_agent_id`, the survivor). The record
 * stays after the merge ends (`ended_at`): by an undo, because the survivor was linked to another
 * user (`relinked`), or because the user was deleted (`user-deleted`).
 */
export const agentMerges = sqliteTable(
  'agent_merges',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    intoAgentId: text('into_agent_id').notNull(),
    /** JSON array: the agents merged into the survivor. */
    agentIds: text('agent_ids').notNull(),
    createdAt: text('created_at').notNull(),
    endedAt: text('ended_at'),
    endReason: text('end_reason', { enum: ['undo', 'relinked', 'user-deleted'] }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('agent_merges_user').on(t.tenantId, t.userId),
  ]
)
