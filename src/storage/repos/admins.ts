/**
 * @module The console's admins, invitations and sessions in a regional database. Sign-in looks
 * an admin up by email (unique per region); a session is found by its tenant and the hash of its
 * secret, joined with its admin in one read.
 */
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm'
import type { Db, Statement } from '../db'
import { adminInvitations, adminSessions, tenantAdmins, tenants } from '../schema'

export type AdminRow = typeof tenantAdmins.$inferSelect
export type InvitationRow = typeof adminInvitations.$inferSelect
export type SessionRow = typeof adminSessions.$inferSelect

export async function adminByEmail(db: Db, emailCi: string): Promise<AdminRow | undefined> {
  return db.select().from(tenantAdmins).where(eq(tenantAdmins.emailCi, emailCi)).get()
}

export async function getAdmin(
  db: Db,
  tenantId: string,
  id: string
): Promise<AdminRow | undefined> {
  return db
    .select()
    .from(tenantAdmins)
    .where(and(eq(tenantAdmins.tenantId, tenantId), eq(tenantAdmins.id, id)))
    .get()
}

/** A tenant's admins, owners first, then by name. A tenant has a handful: no paging. */
export async function listAdmins(db: Db, tenantId: string): Promise<AdminRow[]> {
  return db
    .select()
    .from(tenantAdmins)
    .where(eq(tenantAdmins.tenantId, tenantId))
    .orderBy(asc(tenantAdmins.role), asc(tenantAdmins.emailCi))
    .all()
}

export const insertAdminStatement = (db: Db, row: AdminRow): Statement =>
  db.insert(tenantAdmins).values(row)

export function updateAdminStatement(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<
    Pick<AdminRow, 'name' | 'role' | 'passwordHash' | 'passwordChangedAt' | 'lastSignInAt'>
  > & { updatedAt: string }
): Statement {
  return db
    .update(tenantAdmins)
    .set(set)
    .where(and(eq(tenantAdmins.tenantId, tenantId), eq(tenantAdmins.id, id)))
}

export const deleteAdminStatement = (db: Db, tenantId: string, id: string): Statement =>
  db.delete(tenantAdmins).where(and(eq(tenantAdmins.tenantId, tenantId), eq(tenantAdmins.id, id)))

export async function invitationByHash(
  db: Db,
  tenantId: string,
  tokenHash: string
): Promise<InvitationRow | undefined> {
  return db
    .select()
    .from(adminInvitations)
    .where(and(eq(adminInvitations.tenantId, tenantId), eq(adminInvitations.tokenHash, tokenHash)))
    .get()
}

/** Open (unused) invitations of a tenant's admins, for the admins page. */
export async function openInvitations(db: Db, tenantId: string): Promise<InvitationRow[]> {
  return db
    .select()
    .from(adminInvitations)
    .where(and(eq(adminInvitations.tenantId, tenantId), isNull(adminInvitations.usedAt)))
    .all()
}

export const insertInvitationStatement = (db: Db, row: InvitationRow): Statement =>
  db.insert(adminInvitations).values(row)

/** Uses up an admin's open invitations: a new one, a password set or a removal ends them. */
export const closeInvitationsStatement = (
  db: Db,
  tenantId: string,
  adminId: string,
  at: string
): Statement =>
  db
    .update(adminInvitations)
    .set({ usedAt: at })
    .where(
      and(
        eq(adminInvitations.tenantId, tenantId),
        eq(adminInvitations.adminId, adminId),
        isNull(adminInvitations.usedAt)
      )
    )

export interface SessionWithAdmin {
  session: SessionRow
  admin: AdminRow
  tenant: typeof tenants.$inferSelect
}

/** A session with its admin and tenant, by the hash of the session's secret: one read. */
export async function sessionByHash(
  db: Db,
  tenantId: string,
  idHash: string
): Promise<SessionWithAdmin | undefined> {
  return db
    .select({ session: adminSessions, admin: tenantAdmins, tenant: tenants })
    .from(adminSessions)
    .innerJoin(
      tenantAdmins,
      and(
        eq(tenantAdmins.tenantId, adminSessions.tenantId),
        eq(tenantAdmins.id, adminSessions.adminId)
      )
    )
    .innerJoin(tenants, eq(tenants.id, adminSessions.tenantId))
    .where(and(eq(adminSessions.tenantId, tenantId), eq(adminSessions.idHash, idHash)))
    .get()
}

export const insertSessionStatement = (db: Db, row: SessionRow): Statement =>
  db.insert(adminSessions).values(row)

export const deleteSessionStatement = (db: Db, tenantId: string, idHash: string): Statement =>
  db
    .delete(adminSessions)
    .where(and(eq(adminSessions.tenantId, tenantId), eq(adminSessions.idHash, idHash)))

/** Every session of an admin: sign-out everywhere (password change, removal). */
export const deleteAdminSessionsStatement = (
  db: Db,
  tenantId: string,
  adminId: string
): Statement =>
  db
    .delete(adminSessions)
    .where(and(eq(adminSessions.tenantId, tenantId), eq(adminSessions.adminId, adminId)))

/** Records that a session was used; written at most every few minutes per session. */
export async function touchSession(
  db: Db,
  tenantId: string,
  idHash: string,
  at: string
): Promise<void> {
  await db
    .update(adminSessions)
    .set({ lastSeenAt: at })
    .where(and(eq(adminSessions.tenantId, tenantId), eq(adminSessions.idHash, idHash)))
    .run()
}

/**
 * Forgets sessions past their absolute end or idle too long, and invitations past their expiry
 * (used or not: an admin's state does not depend on them). Such rows no longer let anyone in;
 * the cron removes them so they do not pile up. Returns how many rows went.
 */
export async function sweepExpired(db: Db, now: string, idleSince: string): Promise<number> {
  const [sessions, invitations] = await db.batch([
    db
      .delete(adminSessions)
      .where(or(lt(adminSessions.expiresAt, now), lt(adminSessions.lastSeenAt, idleSince))),
    db.delete(adminInvitations).where(lt(adminInvitations.expiresAt, now)),
  ])
  return sessions.meta.changes + invitations.meta.changes
}
