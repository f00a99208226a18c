/**
 * @module The product's directory beyond SCIM: the agents that report identities from devices,
 * the Do Not Track list, deletion records with their verification state, and roles.
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { tenants } from './tenants'

const tenantRef = () =>
  text('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })

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

/**
 * The Do Not Track list. An entry names a user or an agent (at most one entry each) and keeps
 * the identifiers it had, so it stays meaningful after the user is deleted. Entries are sticky:
 * only an operator removes them.
 */
export const dntEntries = sqliteTable(
  'dnt_entries',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    userId: text('user_id'),
    agentId: text('agent_id'),
    /** userName or `domain\logonName`, for people reading the list. */
    label: text('label').notNull(),
    /** JSON: the identifiers at the time the entry was made. */
    identifiers: text('identifiers').notNull(),
    source: text('source', { enum: ['tracking', 'pull-dnt', 'deletion', 'operator'] }).notNull(),
    instanceId: text('instance_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('dnt_entries_user').on(t.tenantId, t.userId),
    uniqueIndex('dnt_entries_agent').on(t.tenantId, t.agentId),
  ]
)

/**
 * One record per deleted user. The purge of the user's remaining data runs on the tenant's
 * Durable Object alarm (`purged_at`); the cron verifies it after the verification delay.
 */
export const deletions = sqliteTable(
  'deletions',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    userId: text('user_id').notNull(),
    /** JSON: userName, externalId, emails, userPrincipalNames, employeeNumber, displayName. */
    identifiers: text('identifiers').notNull(),
    source: text('source', { enum: ['scim', 'pull-delete', 'operator'] }).notNull(),
    instanceId: text('instance_id'),
    requestedAt: text('requested_at').notNull(),
    status: text('status', { enum: ['pending', 'verified', 'failed'] }).notNull(),
    purgedAt: text('purged_at'),
    attempts: integer('attempts').notNull().default(0),
    lastCheckedAt: text('last_checked_at'),
    verifiedAt: text('verified_at'),
    /** Why the last verification failed (what was left). */
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('deletions_status').on(t.status, t.requestedAt),
    index('deletions_tenant_status').on(t.tenantId, t.status, t.requestedAt),
    index('deletions_purge').on(t.tenantId, t.purgedAt),
  ]
)

export const roles = sqliteTable(
  'roles',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    nameCi: text('name_ci').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('roles_name').on(t.tenantId, t.nameCi),
  ]
)
