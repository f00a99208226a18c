/**
 * @module The schema (drizzle) of each tenant Durable Object's own SQLite storage: the pull
 * sync's run records, its links from Entra object ids to product ids, and what a running sync
 * has staged from Microsoft Graph. drizzle-kit generates `migrations-do/` from it
 * (`drizzle.do.config.ts`); the object applies them when it starts (./migrate.ts).
 * See docs/storage-schema.md.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Every pull sync run: state while it runs, its report afterwards (`report`, JSON). */
export const syncRuns = sqliteTable(
  'sync_runs',
  {
    // A table-level key keeps the column as it was first created: `id TEXT PRIMARY KEY`.
    id: text('id'),
    instanceId: text('instance_id').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    status: text('status').notNull(),
    report: text('report').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    index('sync_runs_instance').on(t.instanceId, t.startedAt),
  ]
)

/** Entra object id → product user or group id, per instance. */
export const syncLinks = sqliteTable(
  'sync_links',
  {
    instanceId: text('instance_id').notNull(),
    kind: text('kind').notNull(),
    entraId: text('entra_id').notNull(),
    productId: text('product_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.instanceId, t.kind, t.entraId] }),
    index('sync_links_product').on(t.instanceId, t.kind, t.productId),
  ]
)

/** The groups a running sync works through, with each one's Graph paging position. */
export const stageGroups = sqliteTable(
  'stage_groups',
  {
    runId: text('run_id').notNull(),
    id: text('id').notNull(),
    displayName: text('display_name').notNull(),
    kind: text('kind').notNull(),
    nextLink: text('next_link'),
    done: integer('done').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] })]
)

/** The Graph users a running sync has read (`data`, JSON). */
export const stageUsers = sqliteTable(
  'stage_users',
  {
    runId: text('run_id').notNull(),
    id: text('id').notNull(),
    data: text('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] })]
)

/** Which staged user is in which staged group. */
export const stageMembers = sqliteTable(
  'stage_members',
  {
    runId: text('run_id').notNull(),
    groupId: text('group_id').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.groupId, t.userId] }),
    index('stage_members_user').on(t.runId, t.userId),
  ]
)
