/**
 * @module The customer's console: the tenant's admins (people of one customer who sign in to
 * the console), their one-time invitations and their sessions. Like every other row of a tenant
 * they live only in the tenant's regional database. Secrets are never stored: invitation tokens
 * and session ids as SHA-256, passwords as salted PBKDF2-SHA-256.
 */
import { index, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { tenantRef } from './tenants'

/**
 * A console admin. The email is unique within a regional database (not only within a tenant),
 * so a sign-in with email and password names exactly one account per region.
 */
export const tenantAdmins = sqliteTable(
  'tenant_admins',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    emailCi: text('email_ci').notNull(),
    name: text('name').notNull(),
    /** `owner`s also manage the tenant's other admins. */
    role: text('role', { enum: ['owner', 'admin'] }).notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url); null until the invitation is accepted. */
    passwordHash: text('password_hash'),
    passwordChangedAt: text('password_changed_at'),
    lastSignInAt: text('last_sign_in_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('tenant_admins_email').on(t.emailCi),
  ]
)

/** A one-time invitation link to set an admin's password: valid 72 hours, single use. */
export const adminInvitations = sqliteTable(
  'admin_invitations',
  {
    tenantId: tenantRef(),
    id: text('id').notNull(),
    adminId: text('admin_id').notNull(),
    /** SHA-256 (hex) of the secret in the link. */
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('admin_invitations_token').on(t.tenantId, t.tokenHash),
    index('admin_invitations_admin').on(t.tenantId, t.adminId),
  ]
)

/**
 * A signed-in console session. The cookie carries the tenant id and a 256-bit secret; only the
 * secret's SHA-256 is stored. Idle after 12 hours without use, over after 7 days in any case.
 */
export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    tenantId: tenantRef(),
    /** SHA-256 (hex) of the session secret. */
    idHash: text('id_hash').notNull(),
    adminId: text('admin_id').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** The absolute end of the session (7 days after sign-in). */
    expiresAt: text('expires_at').notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.idHash] }),
    index('admin_sessions_admin').on(t.tenantId, t.adminId),
  ]
)
