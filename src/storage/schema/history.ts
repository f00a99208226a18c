/**
 * @module Provisioning history: one row per change to a user, group, membership, agent link,
 * DNT entry, role or deletion. Ids are UUIDv7, so id order is time order and the primary key
 * serves cursor paging, time ranges and retention pruning. History is the most written table:
 * every index below costs a write per entry, so there is one only for the filters that would
 * otherwise read most of a tenant's history (see docs/storage-schema.md).
 */
import { sql } from 'drizzle-orm'
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { tenants } from './tenants'

/** Actors rare enough to index: the others (scim, sync, agent) make up most of the history. */
export const HISTORY_INDEXED_ACTORS: readonly string[] = ['operator', 'admin', 'system']

/** The condition of the partial actor index; a query must state it word for word to use it. */
export const HISTORY_ACTOR_INDEXED = `actor IN (${HISTORY_INDEXED_ACTORS.map((a) => `'${a}'`).join(', ')})`

export const history = sqliteTable(
  'history',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    at: text('at').notNull(),
    /**
     * Who made the change: a SCIM client, an operator, a console admin, an agent key, the pull
     * sync, the system.
     */
    actor: text('actor', {
      enum: ['scim', 'operator', 'admin', 'agent', 'sync', 'system'],
    }).notNull(),
    /** The console admin's id, for `admin` changes. */
    actorId: text('actor_id'),
    /** Who the actor was when the change was made (an admin's email), for people reading it. */
    actorName: text('actor_name'),
    instanceId: text('instance_id'),
    keyId: text('key_id'),
    requestId: text('request_id'),
    /** e.g. `user.create`, `membership.add`, `agent.link`, `dnt.add`, `role.change`, `deletion.verified`. */
    op: text('op').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    /** The user the change concerns, for the per-user history; null for changes to no user. */
    userId: text('user_id'),
    /** JSON list of `{ attr, before?, after? }`. */
    changes: text('changes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('history_user').on(t.tenantId, t.userId, t.id),
    // A group's (or any resource's) history, membership changes included.
    index('history_resource').on(t.tenantId, t.resourceId, t.id),
    index('history_op').on(t.tenantId, t.op, t.id),
    // Only the rare actors: filtering on scim, sync or agent walks the primary key instead.
    index('history_actor').on(t.tenantId, t.actor, t.id).where(sql.raw(HISTORY_ACTOR_INDEXED)),
  ]
)
