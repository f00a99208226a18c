/** @module The Do Not Track list: users and agents the product must not track. */
import { primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { tenantRef } from './tenants'

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
