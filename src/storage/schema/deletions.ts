/** @module Deletion records of users, with their purge and verification state. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { tenantRef } from './tenants'

/** The deleted user's externalId, as stored in its identifiers. */
export const DELETED_EXTERNAL_ID = sql`json_extract(identifiers, '$.externalId')`
/** The deleted user's userName, lowercased. */
export const DELETED_USER_NAME = sql`lower(json_extract(identifiers, '$.userName'))`

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
    // The admin list filtered by status, newest first by id: otherwise a walk of the tenant's.
    index('deletions_status_id').on(t.tenantId, t.status, t.id),
    index('deletions_purge').on(t.tenantId, t.purgedAt),
    // A deleted user's identifiers, looked up so it is not made again (`deletedIdentifiers`): a
    // query must spell the expression the same way to use its index.
    index('deletions_external_id').on(t.tenantId, DELETED_EXTERNAL_ID),
    index('deletions_user_name').on(t.tenantId, DELETED_USER_NAME),
  ]
)
