/**
 * @module Groups and memberships in a regional database. Members live in `group_members`, not
 * in the group document, so a membership PATCH touches only the rows it names.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { StoredResource } from '../../model/resource'
import { fold, foldOrNull } from '../../lib/text'
import { chunk, existingIds, JSON_LIST_MAX, jsonValues } from '../chunk'
import type { Db, Statement } from '../db'
import { insertJsonRows } from '../json-rows'
import { groupMembers, groups } from '../schema'
import { col, readOne, runReads, tenantIs, type TenantScope } from '../read-batch'
import { RESOURCE_COLUMNS, fromReadRow } from './documents'

/** A stored group with the role it grants (group-roles mode). */
export interface GroupResource extends StoredResource {
  roleId: string | null
}

/** A group by id with the role it grants, as a read that can travel in a batch. */
const groupRead = (tenant: TenantScope, id: string) =>
  readOne(
    `SELECT ${RESOURCE_COLUMNS}, role_id FROM groups WHERE tenant_id = ${tenant.sql} AND id = ?`,
    [...tenant.params, id],
    (row): GroupResource => ({ ...fromReadRow(row), roleId: col.textOrNull(row, 'role_id') })
  )

export async function getGroup(
  db: Db,
  tenantId: string,
  id: string
): Promise<GroupResource | undefined> {
  const [group] = await runReads(db.$client, [groupRead(tenantIs(tenantId), id)])
  return group
}

export async function findGroupIdByDisplayName(
  db: Db,
  tenantId: string,
  displayName: string
): Promise<string | undefined> {
  const row = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.displayNameCi, fold(displayName))))
    .get()
  return row?.id
}

/** Groups whose externalId is this value (case-insensitively), oldest first. */
export async function findGroupIdsByExternalId(
  db: Db,
  tenantId: string,
  externalId: string
): Promise<string[]> {
  // Sorted here: asked for id order, SQLite walks the tenant's groups instead of the index.
  const rows = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.externalIdCi, fold(externalId))))
    .all()
  return rows.map((r) => r.id).sort()
}

/** Which of `ids` are groups of the tenant (to explain why they cannot be members). */
export const existingGroupIds = (
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<Set<string>> => existingIds(db, groups, tenantId, ids)

/** Every member id of a group, or the first `limit` of them. */
export async function memberIds(
  db: Db,
  tenantId: string,
  groupId: string,
  limit?: number
): Promise<string[]> {
  const query = db
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId)))
  const rows = await (limit === undefined ? query.all() : query.limit(limit).all())
  return rows.map((r) => r.id)
}

/** The membership rows of these users in the group. */
const membersAmongOf = (tenantId: string, groupId: string, userIds: readonly string[]) =>
  and(
    eq(groupMembers.tenantId, tenantId),
    eq(groupMembers.groupId, groupId),
    inArray(groupMembers.userId, jsonValues(userIds))
  )

/** Which of `ids` are already members of the group. */
export async function membersAmong(
  db: Db,
  tenantId: string,
  groupId: string,
  ids: readonly string[]
): Promise<Set<string>> {
  const found = new Set<string>()
  for (const part of chunk(ids, JSON_LIST_MAX)) {
    const rows = await db
      .select({ id: groupMembers.userId })
      .from(groupMembers)
      .where(membersAmongOf(tenantId, groupId, part))
      .all()
    for (const r of rows) found.add(r.id)
  }
  return found
}

// The relation reads live in ./relations; these callers import them from here.
export { groupsOfUsers, membersOfGroups, type MemberRef } from './relations'

/** The columns a write of the group sets; its key and creation time are set once, by the insert. */
function groupValues(group: StoredResource) {
  return {
    displayNameCi: fold(typeof group.doc.displayName === 'string' ? group.doc.displayName : ''),
    externalIdCi: foldOrNull(group.doc.externalId),
    data: JSON.stringify(group.doc),
    version: group.version,
    updatedAt: group.updatedAt,
  } satisfies Partial<typeof groups.$inferInsert>
}

export interface MemberDelta {
  add: readonly string[]
  remove: readonly string[]
}

/** Statements that insert or overwrite a group and apply a membership delta. */
export function writeGroupStatements(
  db: Db,
  tenantId: string,
  group: StoredResource,
  isNew: boolean,
  delta: MemberDelta
): Statement[] {
  const values = groupValues(group)
  return [
    isNew
      ? db.insert(groups).values({ tenantId, id: group.id, createdAt: group.createdAt, ...values })
      : // Not the key, even unchanged: SQLite would check every member row's foreign key against
        // a key named in SET, and a PATCH would cost as much as the group is large.
        db
          .update(groups)
          .set(values)
          .where(and(eq(groups.tenantId, tenantId), eq(groups.id, group.id))),
    ...removeMembersStatements(db, tenantId, group.id, delta.remove),
    ...addMembersStatements(tenantId, group, delta.add),
  ]
}

/** Deletes these members' rows, in lists of `JSON_LIST_MAX`. */
function removeMembersStatements(
  db: Db,
  tenantId: string,
  groupId: string,
  userIds: readonly string[]
): Statement[] {
  return chunk(userIds, JSON_LIST_MAX).map((part) =>
    db.delete(groupMembers).where(membersAmongOf(tenantId, groupId, part))
  )
}

/** Inserts these members' rows, joined at the group's write; one already there stays as it is. */
function addMembersStatements(
  tenantId: string,
  group: StoredResource,
  userIds: readonly string[]
): Statement[] {
  const rows = userIds.map((userId) => ({
    tenant_id: tenantId,
    group_id: group.id,
    user_id: userId,
    created_at: group.updatedAt,
  }))
  return insertJsonRows(
    'group_members',
    ['tenant_id', 'group_id', 'user_id', 'created_at'],
    rows,
    'ON CONFLICT DO NOTHING'
  )
}

/** Memberships go with the group through the foreign key's cascade. */
export function deleteGroupStatements(db: Db, tenantId: string, id: string): Statement[] {
  return [db.delete(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, id)))]
}

export interface MembershipFactRow {
  userId: string
  groupId: string
  joinedAt: string
  roleId: string | null
}

/** Every membership of the users, with when they joined and the role the group carries. */
export const membershipFactsQuery = (db: Db, tenantId: string, userIds: readonly string[]) =>
  db
    .select({
      userId: groupMembers.userId,
      groupId: groupMembers.groupId,
      joinedAt: groupMembers.createdAt,
      roleId: groups.roleId,
    })
    .from(groupMembers)
    .innerJoin(
      groups,
      and(eq(groups.tenantId, groupMembers.tenantId), eq(groups.id, groupMembers.groupId))
    )
    .where(
      and(eq(groupMembers.tenantId, tenantId), inArray(groupMembers.userId, jsonValues(userIds)))
    )

export async function membershipFacts(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<MembershipFactRow[]> {
  if (userIds.length === 0) return []
  return membershipFactsQuery(db, tenantId, userIds).all()
}

export function setGroupRoleStatement(
  db: Db,
  tenantId: string,
  groupId: string,
  roleId: string | null,
  at: string
): Statement {
  return db
    .update(groups)
    .set({ roleId, updatedAt: at })
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
}

export async function getGroupRoleId(
  db: Db,
  tenantId: string,
  groupId: string
): Promise<string | null | undefined> {
  const row = await db
    .select({ roleId: groups.roleId })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, groupId)))
    .get()
  return row ? row.roleId : undefined
}

/** Every user who is a member of at least one group. */
export async function usersInAnyGroup(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: groupMembers.userId })
    .from(groupMembers)
    .where(eq(groupMembers.tenantId, tenantId))
    .all()
  return rows.map((r) => r.id)
}
