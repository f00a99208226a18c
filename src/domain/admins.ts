/**
 * @module The console's admins: invitations (one-time links, stored hashed, valid 72 hours),
 * passwords (hashed by the caller, outside the tenant's serial queue, since PBKDF2 is the costly
 * part), sessions, roles and removal. Owners manage the other admins; a tenant always keeps at
 * least one owner. Every change, sign-in and failed sign-in is recorded in the history.
 */
import { z } from 'zod'
import type { AttributeChange } from '../directory/changes'
import { fold } from '../lib/text'
import { badRequest, conflict, notFound } from '../scim/errors'
import {
  adminByEmail,
  closeInvitationsStatement,
  deleteAdminSessionsStatement,
  deleteAdminStatement,
  deleteSessionStatement,
  getAdmin,
  insertAdminStatement,
  insertInvitationStatement,
  insertSessionStatement,
  invitationByHash,
  listAdmins,
  updateAdminStatement,
  type AdminRow,
} from '../storage/repos/admins'
import { Changeset, commit } from './changeset'
import type { WriteContext } from './write-context'

export const ADMIN_ROLES = ['owner', 'admin'] as const
export type AdminRole = (typeof ADMIN_ROLES)[number]

/** How long an invitation link works. */
const INVITATION_TTL_MS = 72 * 3_600_000
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 3_600_000
/** …and this long after sign-in in any case. */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000

/** What inviting an admin needs; the same schema validates the admin API and the console. */
export const InviteSchema = z.object({
  email: z.email('must be an email address').trim().max(320),
  name: z.string().trim().min(1, 'is required').max(200),
  role: z.enum(ADMIN_ROLES),
})
export type InviteInput = z.infer<typeof InviteSchema>

/** An invitation's secret is made by the caller (it leaves the object only in the link). */
export interface NewInvitation {
  tokenHash: string
}

const ADMIN = 'Admin' as const

function recordAdmin(
  cs: Changeset,
  op: string,
  admin: Pick<AdminRow, 'id'>,
  changes: AttributeChange[]
): void {
  cs.record({ op, resourceType: ADMIN, resourceId: admin.id, changes })
}

function addInvitation(ctx: WriteContext, cs: Changeset, adminId: string, inv: NewInvitation) {
  const expiresAt = new Date(Date.parse(ctx.now) + INVITATION_TTL_MS).toISOString()
  cs.add(
    closeInvitationsStatement(ctx.db, ctx.tenantId, adminId, ctx.now),
    insertInvitationStatement(ctx.db, {
      tenantId: ctx.tenantId,
      id: ctx.newId(),
      adminId,
      tokenHash: inv.tokenHash,
      createdAt: ctx.now,
      expiresAt,
      usedAt: null,
    })
  )
  return expiresAt
}

/** Creates an admin without a password and an invitation to set one. */
export async function inviteAdmin(
  ctx: WriteContext,
  input: InviteInput,
  invitation: NewInvitation
): Promise<{ admin: AdminRow; expiresAt: string }> {
  const emailCi = fold(input.email)
  if (await adminByEmail(ctx.db, emailCi))
    throw conflict(`An admin with the email "${input.email}" already exists`)
  const admin: AdminRow = {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    email: input.email,
    emailCi,
    name: input.name,
    role: input.role,
    passwordHash: null,
    passwordChangedAt: null,
    lastSignInAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }
  const cs = new Changeset().add(insertAdminStatement(ctx.db, admin))
  const expiresAt = addInvitation(ctx, cs, admin.id, invitation)
  recordAdmin(cs, 'admin.invite', admin, [
    { attr: 'email', after: admin.email },
    { attr: 'name', after: admin.name },
    { attr: 'role', after: admin.role },
  ])
  await commit(ctx, cs, `An admin with the email "${input.email}"`)
  return { admin, expiresAt }
}

/** A new invitation for an admin (the old links stop working). */
export async function reinviteAdmin(
  ctx: WriteContext,
  adminId: string,
  invitation: NewInvitation
): Promise<{ admin: AdminRow; expiresAt: string }> {
  const admin = await requireAdmin(ctx, adminId)
  const cs = new Changeset()
  const expiresAt = addInvitation(ctx, cs, admin.id, invitation)
  recordAdmin(cs, 'admin.reinvite', admin, [{ attr: 'expiresAt', after: expiresAt }])
  await commit(ctx, cs, 'invitation')
  return { admin, expiresAt }
}

async function requireAdmin(ctx: WriteContext, adminId: string): Promise<AdminRow> {
  const admin = await getAdmin(ctx.db, ctx.tenantId, adminId)
  if (!admin) throw notFound(`Admin "${adminId}" not found`)
  return admin
}

/**
 * Sets the password of the invitation's admin and uses the invitation up. Every session of the
 * admin ends (a password set through a link is a reset too).
 */
export async function acceptInvitation(
  ctx: WriteContext,
  tokenHash: string,
  passwordHash: string
): Promise<AdminRow> {
  const invitation = await invitationByHash(ctx.db, ctx.tenantId, tokenHash)
  if (!invitation || invitation.usedAt !== null || invitation.expiresAt <= ctx.now)
    throw badRequest(
      'invalidValue',
      'This invitation link has expired or was already used; ask an owner for a new one'
    )
  const admin = await requireAdmin(ctx, invitation.adminId)
  const cs = new Changeset().add(
    updateAdminStatement(ctx.db, ctx.tenantId, admin.id, {
      passwordHash,
      passwordChangedAt: ctx.now,
      updatedAt: ctx.now,
    }),
    closeInvitationsStatement(ctx.db, ctx.tenantId, admin.id, ctx.now),
    deleteAdminSessionsStatement(ctx.db, ctx.tenantId, admin.id)
  )
  recordAdmin(cs, 'admin.password_set', admin, [{ attr: 'password', after: 'set' }])
  await commit(ctx, cs, 'password')
  return { ...admin, passwordHash, passwordChangedAt: ctx.now }
}

/** Changes an admin's own password; every session of theirs ends. */
export async function changePassword(
  ctx: WriteContext,
  adminId: string,
  passwordHash: string
): Promise<void> {
  const admin = await requireAdmin(ctx, adminId)
  const cs = new Changeset().add(
    updateAdminStatement(ctx.db, ctx.tenantId, admin.id, {
      passwordHash,
      passwordChangedAt: ctx.now,
      updatedAt: ctx.now,
    }),
    deleteAdminSessionsStatement(ctx.db, ctx.tenantId, admin.id)
  )
  recordAdmin(cs, 'admin.password_change', admin, [{ attr: 'password', after: 'changed' }])
  await commit(ctx, cs, 'password')
}

/** Refuses a change that would leave the tenant without an owner. */
async function keepAnOwner(ctx: WriteContext, leaving: AdminRow): Promise<void> {
  if (leaving.role !== 'owner') return
  const owners = (await listAdmins(ctx.db, ctx.tenantId)).filter(
    (a) => a.role === 'owner' && a.id !== leaving.id
  )
  if (owners.length === 0)
    throw conflict(`${leaving.email} is the only owner; make another admin an owner first`)
}

export async function changeAdminRole(
  ctx: WriteContext,
  adminId: string,
  role: AdminRole
): Promise<AdminRow> {
  const admin = await requireAdmin(ctx, adminId)
  if (admin.role === role) return admin
  if (role !== 'owner') await keepAnOwner(ctx, admin)
  const cs = new Changeset().add(
    updateAdminStatement(ctx.db, ctx.tenantId, admin.id, { role, updatedAt: ctx.now })
  )
  recordAdmin(cs, 'admin.role', admin, [{ attr: 'role', before: admin.role, after: role }])
  await commit(ctx, cs, 'admin')
  return { ...admin, role, updatedAt: ctx.now }
}

/** Removes an admin with their sessions and open invitations. */
export async function removeAdmin(ctx: WriteContext, adminId: string): Promise<void> {
  const admin = await requireAdmin(ctx, adminId)
  await keepAnOwner(ctx, admin)
  const cs = new Changeset().add(
    closeInvitationsStatement(ctx.db, ctx.tenantId, admin.id, ctx.now),
    deleteAdminSessionsStatement(ctx.db, ctx.tenantId, admin.id),
    deleteAdminStatement(ctx.db, ctx.tenantId, admin.id)
  )
  recordAdmin(cs, 'admin.remove', admin, [
    { attr: 'email', before: admin.email },
    { attr: 'role', before: admin.role },
  ])
  await commit(ctx, cs, 'admin')
}

export interface NewSession {
  idHash: string
  userAgent: string | null
}

/** Opens a session for an admin whose password the caller verified, and records the sign-in. */
export async function recordSignIn(
  ctx: WriteContext,
  adminId: string,
  session: NewSession
): Promise<{ expiresAt: string }> {
  const admin = await requireAdmin(ctx, adminId)
  const expiresAt = new Date(Date.parse(ctx.now) + SESSION_MAX_MS).toISOString()
  const cs = new Changeset().add(
    insertSessionStatement(ctx.db, {
      tenantId: ctx.tenantId,
      idHash: session.idHash,
      adminId: admin.id,
      createdAt: ctx.now,
      lastSeenAt: ctx.now,
      expiresAt,
      userAgent: session.userAgent,
    }),
    updateAdminStatement(ctx.db, ctx.tenantId, admin.id, {
      lastSignInAt: ctx.now,
      updatedAt: ctx.now,
    })
  )
  recordAdmin(cs, 'admin.signin', admin, [{ attr: 'userAgent', after: session.userAgent }])
  await commit(ctx, cs, 'session')
  return { expiresAt }
}

/** Records a failed sign-in to an existing account (the reason is never the password). */
/** Why a sign-in failed, as the history records it. */
export type SignInFailure = 'wrong-password' | 'no-password' | 'throttled'

export async function recordSignInFailure(
  ctx: WriteContext,
  adminId: string,
  reason: SignInFailure
): Promise<void> {
  const admin = await requireAdmin(ctx, adminId)
  const cs = new Changeset()
  recordAdmin(cs, 'admin.signin_failed', admin, [{ attr: 'reason', after: reason }])
  await commit(ctx, cs, 'sign-in')
}

/** Ends one session. */
export async function signOut(ctx: WriteContext, adminId: string, idHash: string): Promise<void> {
  const cs = new Changeset().add(deleteSessionStatement(ctx.db, ctx.tenantId, idHash))
  recordAdmin(cs, 'admin.signout', { id: adminId }, [])
  await commit(ctx, cs, 'session')
}
