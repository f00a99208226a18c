/**
 * @module Users in a regional database: keyed reads, lookups on the indexed match columns, and
 * the statements of a user write (row + user_values), returned unexecuted so the caller can
 * commit them in one atomic batch.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { StoredResource } from '../../domain/resource'
import { fold, foldOrNull } from '../../lib/text'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { chunk, rowsPerStatement } from '../chunk'
import type { Db } from '../db'
import { ENTERPRISE_USER } from '../filter-sql/targets'
import { groupMembers, groups, userValues, users } from '../schema'
import { fromRow } from './documents'
import { userValueRows } from './user-values'

export type Statement = BatchItem<'sqlite'>

const selectUser = {
  id: users.id,
  data: users.data,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
}

export async function getUser(db: Db, tenantId: string, id: string): Promise<StoredResource | undefined> {
  const row = await db
    .select(selectUser)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .get()
  return row ? fromRow(row) : undefined
}

/** The id of the user holding this userName (case-insensitively), if any. */
export async function findUserIdByUserName(
  db: Db,
  tenantId: string,
  userName: string
): Promise<string | undefined> {
  const row = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.userNameCi, fold(userName))))
    .get()
  return row?.id
}

/** Which of `ids` are users of the tenant. */
export async function existingUserIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (const part of chunk(ids, 90)) {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, part)))
      .all()
    for (const r of rows) found.add(r.id)
  }
  return found
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

function enterprise(doc: ScimDocument): Record<string, unknown> {
  const ext = doc[ENTERPRISE_USER]
  return typeof ext === 'object' && ext !== null ? (ext as Record<string, unknown>) : {}
}

function userRow(tenantId: string, user: StoredResource): typeof users.$inferInsert {
  const { doc } = user
  return {
    tenantId,
    id: user.id,
    userNameCi: fold(text(doc.userName) ?? ''),
    externalIdCi: foldOrNull(doc.externalId),
    displayNameCi: foldOrNull(doc.displayName),
    employeeNumberCi: foldOrNull(enterprise(doc).employeeNumber),
    active: doc.active !== false,
    data: JSON.stringify(doc),
    version: user.version,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  }
}

/** Statements that insert or overwrite a user and rebuild its indexed values. */
export function writeUserStatements(db: Db, tenantId: string, user: StoredResource, isNew: boolean): Statement[] {
  const row = userRow(tenantId, user)
  const head: Statement = isNew
    ? db.insert(users).values(row)
    : db
        .update(users)
        .set(row)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, user.id)))
  const out: Statement[] = [head]
  if (!isNew) {
    out.push(db.delete(userValues).where(and(eq(userValues.tenantId, tenantId), eq(userValues.userId, user.id))))
  }
  const values = userValueRows(user.doc).map((v) => ({ tenantId, userId: user.id, ...v }))
  for (const part of chunk(values, rowsPerStatement(6))) out.push(db.insert(userValues).values(part))
  return out
}

/**
 * Deleting a user cascades to its values and memberships (foreign keys); the groups it leaves
 * get a new version first, since their member lists change.
 */
export function deleteUserStatements(db: Db, tenantId: string, id: string, at: string): Statement[] {
  const groupsOfUser = db
    .select({ id: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.userId, id)))
  return [
    db
      .update(groups)
      .set({ version: sql`${groups.version} + 1`, updatedAt: at })
      .where(and(eq(groups.tenantId, tenantId), inArray(groups.id, groupsOfUser))),
    db.delete(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))),
  ]
}
