/**
 * @module Users in a regional database: keyed reads, lookups on the indexed match columns, and
 * the statements of a user write (row + user_values), returned unexecuted so the caller can
 * commit them in one atomic batch.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { StoredResource } from '../../model/resource'
import { fold, foldOrNull } from '../../lib/text'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { chunk, existingIds, JSON_LIST_MAX, jsonValues } from '../chunk'
import { isJsonObject } from '../../lib/json'
import type { Db, Statement } from '../db'
import { insertJsonRows, upsertSuffix, type JsonValue } from '../json-rows'
import { ENTERPRISE_USER } from '../filter-sql/targets'
import { GROUP_MEMBERS_BY_USER, groups, userValues, users } from '../schema'
import { RESOURCE_COLUMNS, fromReadRow, fromRow } from './documents'
import { readOne, runReads, tenantIs, type TenantScope } from '../read-batch'
import { listSources, type IdentifierSets, type IdentifierSources } from './agents'
import { userValueRows } from './user-values'

const selectUser = {
  id: users.id,
  data: users.data,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
}

/** A user by id, as a read that can travel in a batch. */
const userRead = (tenant: TenantScope, id: string) =>
  readOne(
    `SELECT ${RESOURCE_COLUMNS} FROM users WHERE tenant_id = ${tenant.sql} AND id = ?`,
    [...tenant.params, id],
    fromReadRow
  )

export async function getUser(
  db: Db,
  tenantId: string,
  id: string
): Promise<StoredResource | undefined> {
  const [user] = await runReads(db.$client, [userRead(tenantIs(tenantId), id)])
  return user
}

/** Which of `ids` are users of the tenant. */
export const existingUserIds = (
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<Set<string>> => existingIds(db, users, tenantId, ids)

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

function enterprise(doc: ScimDocument): Record<string, unknown> {
  const ext = doc[ENTERPRISE_USER]
  return isJsonObject(ext) ? ext : {}
}

const USER_COLUMNS = [
  'tenant_id',
  'id',
  'user_name_ci',
  'external_id_ci',
  'display_name_ci',
  'employee_number_ci',
  'active',
  'data',
  'version',
  'created_at',
  'updated_at',
] as const

function userRow(
  tenantId: string,
  user: StoredResource
): Record<(typeof USER_COLUMNS)[number], JsonValue> {
  const { doc } = user
  return {
    tenant_id: tenantId,
    id: user.id,
    user_name_ci: fold(text(doc.userName) ?? ''),
    external_id_ci: foldOrNull(doc.externalId),
    display_name_ci: foldOrNull(doc.displayName),
    employee_number_ci: foldOrNull(enterprise(doc).employeeNumber),
    active: doc.active === false ? 0 : 1,
    data: JSON.stringify(doc),
    version: user.version,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  }
}

const VALUE_COLUMNS = ['tenant_id', 'user_id', 'attr', 'type_ci', 'value_ci', 'is_primary'] as const

/**
 * Statements that insert or overwrite users and rebuild their indexed values: a few statements
 * for any number of users. A taken userName fails the batch (UNIQUE), which callers map to 409.
 */
export function writeUsersStatements(
  db: Db,
  tenantId: string,
  writes: readonly { user: StoredResource; isNew: boolean }[]
): Statement[] {
  if (writes.length === 0) return []
  const updated = USER_COLUMNS.filter((c) => c !== 'tenant_id' && c !== 'id' && c !== 'created_at')
  const out = insertJsonRows(
    'users',
    USER_COLUMNS,
    writes.map((w) => userRow(tenantId, w.user)),
    upsertSuffix(['tenant_id', 'id'], updated)
  )
  for (const part of chunk(
    writes.filter((w) => !w.isNew).map((w) => w.user.id),
    JSON_LIST_MAX
  )) {
    out.push(
      db
        .delete(userValues)
        .where(and(eq(userValues.tenantId, tenantId), inArray(userValues.userId, jsonValues(part))))
    )
  }
  const values = writes.flatMap(({ user }) =>
    userValueRows(user.doc).map((v) => ({
      tenant_id: tenantId,
      user_id: user.id,
      attr: v.attr,
      type_ci: v.typeCi,
      value_ci: v.valueCi,
      is_primary: v.primary ? 1 : 0,
    }))
  )
  out.push(...insertJsonRows('user_values', VALUE_COLUMNS, values))
  return out
}

/**
 * Deleting a user cascades to its values and memberships (foreign keys); the groups it leaves
 * get a new version first, since their member lists change.
 */
export function deleteUserStatements(
  db: Db,
  tenantId: string,
  id: string,
  at: string
): Statement[] {
  // The user's own index is named: SQLite would rather walk the tenant's memberships by the
  // primary key, which holds group_id, than look the user's up and read each row for it.
  const groupsOfUser = sql`(SELECT group_id FROM group_members INDEXED BY ${sql.raw(GROUP_MEMBERS_BY_USER)}
    WHERE tenant_id = ${tenantId} AND user_id = ${id})`
  return [
    db
      .update(groups)
      .set({ version: sql`${groups.version} + 1`, updatedAt: at })
      .where(and(eq(groups.tenantId, tenantId), inArray(groups.id, groupsOfUser))),
    db.delete(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))),
  ]
}

/**
 * Users any of whose linking identifiers is in the sets: userName or an activtrak UPN among
 * `upns`, an email among `emails`, employeeNumber among `employeeIds`. Every branch is an index
 * lookup; the caller derives each candidate's full identifiers from its document.
 */
export async function usersMatchingIdentifiers(
  db: Db,
  tenantId: string,
  sets: IdentifierSets
): Promise<StoredResource[]> {
  // Identifiers are free text of up to a few hundred characters: a few hundred per query keeps
  // each statement far below D1's size limit.
  const size = 200
  const rounds = Math.ceil(
    Math.max(sets.upns.length, sets.emails.length, sets.employeeIds.length) / size
  )
  const found = new Map<string, StoredResource>()
  for (let i = 0; i < rounds; i++) {
    const part = (list: readonly string[]) => list.slice(i * size, (i + 1) * size)
    const slice = {
      upns: part(sets.upns),
      emails: part(sets.emails),
      employeeIds: part(sets.employeeIds),
    }
    for (const u of await matchingOnce(db, tenantId, slice)) found.set(u.id, u)
  }
  return [...found.values()]
}

/**
 * `(ids of the tenant's users any of whose linking identifiers is among the sources)`, undefined
 * when no source is given. UNION ALL: a UNION merges its branches in id order, which SQLite gets
 * by walking every user of the tenant instead of looking the identifiers up in their indexes.
 */
export function userIdsMatching(tenantId: string, sources: IdentifierSources): SQL | undefined {
  const values = (attr: string, source: SQL) =>
    sql`SELECT user_id AS id FROM user_values WHERE tenant_id = ${tenantId} AND attr = ${attr} AND value_ci IN ${source}`
  const branches: SQL[] = []
  if (sources.upns) {
    branches.push(
      sql`SELECT id FROM users WHERE tenant_id = ${tenantId} AND user_name_ci IN ${sources.upns}`
    )
    branches.push(values('userPrincipalNames', sources.upns))
  }
  if (sources.emails) branches.push(values('emails', sources.emails))
  if (sources.employeeIds) {
    branches.push(
      sql`SELECT id FROM users WHERE tenant_id = ${tenantId} AND employee_number_ci IN ${sources.employeeIds}`
    )
  }
  return branches.length ? sql`(${sql.join(branches, sql` UNION ALL `)})` : undefined
}

async function matchingOnce(
  db: Db,
  tenantId: string,
  sets: IdentifierSets
): Promise<StoredResource[]> {
  const ids = userIdsMatching(tenantId, listSources(sets))
  if (!ids) return []
  const rows = await db
    .select(selectUser)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)))
    .all()
  return rows.map(fromRow)
}

export interface RoleState {
  id: string
  roleId: string | null
  roleGroupId: string | null
}

/** Each of these users' stored role and the group it comes from (absent ids: no row). */
export const roleStatesQuery = (db: Db, tenantId: string, userIds: readonly string[]) =>
  db
    .select({ id: users.id, roleId: users.roleId, roleGroupId: users.roleGroupId })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, jsonValues(userIds))))

export async function roleStates(
  db: Db,
  tenantId: string,
  userIds: readonly string[]
): Promise<RoleState[]> {
  if (userIds.length === 0) return []
  return roleStatesQuery(db, tenantId, userIds).all()
}

/**
 * Statements that store users' new effective roles: one per distinct role (and role group) and
 * list of JSON_LIST_MAX users, since a write that changes many users' roles mostly gives them
 * the same one (10,000 members joining a role's group: 10 statements, not 10,000).
 */
export function setRolesStatements(
  db: Db,
  tenantId: string,
  states: readonly RoleState[]
): Statement[] {
  const byRole = new Map<
    string,
    { roleId: string | null; roleGroupId: string | null; ids: string[] }
  >()
  for (const s of states) {
    const key = JSON.stringify([s.roleId, s.roleGroupId])
    const same = byRole.get(key) ?? { roleId: s.roleId, roleGroupId: s.roleGroupId, ids: [] }
    same.ids.push(s.id)
    byRole.set(key, same)
  }
  return [...byRole.values()].flatMap(({ roleId, roleGroupId, ids }) =>
    chunk(ids, JSON_LIST_MAX).map((part) =>
      db
        .update(users)
        .set({ roleId, roleGroupId })
        .where(and(eq(users.tenantId, tenantId), inArray(users.id, jsonValues(part))))
    )
  )
}

/** The tenant's users whose `column` is any of `values` (already folded where it is a _ci column). */
async function usersWhereIn(
  db: Db,
  tenantId: string,
  column: typeof users.id | typeof users.userNameCi | typeof users.externalIdCi,
  values: readonly string[]
): Promise<StoredResource[]> {
  if (values.length === 0) return []
  const rows = await db
    .select(selectUser)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(column, jsonValues(values))))
    .all()
  return rows.map(fromRow)
}

export const usersByIds = (
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<StoredResource[]> => usersWhereIn(db, tenantId, users.id, ids)

/** Users holding any of these userNames (case-insensitively). */
export const usersByUserNames = (
  db: Db,
  tenantId: string,
  userNames: readonly string[]
): Promise<StoredResource[]> => usersWhereIn(db, tenantId, users.userNameCi, userNames.map(fold))

/** Users whose externalId is any of these (case-insensitively), e.g. Entra object ids. */
export const usersByExternalIds = (
  db: Db,
  tenantId: string,
  externalIds: readonly string[]
): Promise<StoredResource[]> =>
  usersWhereIn(db, tenantId, users.externalIdCi, externalIds.map(fold))
