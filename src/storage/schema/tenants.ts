/**
 * @module Tenants, their integration instances and the keys that authenticate SCIM clients and
 * agents. A tenant's rows live only in the database of the region its id names.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Which table an offboarding is erasing, and how many rows of each it has erased so far. */
export interface OffboardingProgress {
  requestedAt: string
  /** The admin request that asked for it. */
  requestId: string | null
  /** Alarm steps run so far. */
  steps: number
  /** The table being erased now; null once only the tenant row is left. */
  erasing: string | null
  /** Rows erased so far, per table. */
  erased: Record<string, number>
  /** When every table was empty; the next step removes the tenant row. */
  erasedAt: string | null
}

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  region: text('region', { enum: ['us', 'eu'] }).notNull(),
  createdAt: text('created_at').notNull(),
  /** The role of a user in no role-bearing group (Apty's "Content Creator"); null: no role. */
  defaultRoleId: text('default_role_id'),
  /** `group-roles`: groups may carry a role (Apty). `groups-as-roles`: every group is a role (TrackTik). */
  roleMode: text('role_mode', { enum: ['group-roles', 'groups-as-roles'] })
    .notNull()
    .default('group-roles'),
  /** `offboarding`: its keys are revoked and its rows are being erased (then the row goes). */
  status: text('status', { enum: ['active', 'offboarding'] })
    .notNull()
    .default('active'),
  /** The offboarding's progress, shown by the admin API; null while active. */
  offboarding: text('offboarding', { mode: 'json' }).$type<OffboardingProgress>(),
})

/**
 * A named integration: an Entra ID or Okta SCIM connection, or the Entra ID pull sync. SCIM keys
 * belong to one instance; a disabled instance's keys answer 401.
 */
export const instances = sqliteTable(
  'instances',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameCi: text('name_ci').notNull(),
    kind: text('kind', { enum: ['entra-scim', 'okta-scim', 'entra-pull'] }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** Non-secret settings as JSON (the pull sync's directory, parent groups, interval…). */
    settings: text('settings').notNull().default('{}'),
    /** AES-GCM ciphertext of the instance's secret (the pull sync's client secret), if any. */
    secretCiphertext: text('secret_ciphertext'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('instances_name').on(t.tenantId, t.nameCi),
    index('instances_kind').on(t.kind),
  ]
)

export const scimKeys = sqliteTable(
  'scim_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The instance the key belongs to; null for a tenant-level key made through /keys. */
    instanceId: text('instance_id'),
    /** `scim` keys call /scim/v2; `agent` keys call the agent API. */
    scope: text('scope', { enum: ['scim', 'agent'] })
      .notNull()
      .default('scim'),
    name: text('name').notNull(),
    /** The first characters of the token, shown to admins to tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the secret part of the token (hex); the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    /** Requests per minute this key may make; null means the service default. */
    rateLimitPerMinute: integer('rate_limit_per_minute'),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('scim_keys_tenant').on(t.tenantId), index('scim_keys_instance').on(t.instanceId)]
)

/** The owning tenant of a row: its rows go when the tenant does. */
export const tenantRef = () =>
  text('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })
