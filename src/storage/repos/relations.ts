/**
 * @module Relations between users and groups as SCIM shows them: a group's `members` and a
 * user's readOnly `groups` (RFC 7643 §4.1.2, §4.2), each with a `display`. As reads that travel
 * in the batch of the request that shows them, for ids or for the ids a page query selects.
 */
import type { SqlFragment } from '../filter-sql/compare'
import { chunk, JSON_LIST_MAX } from '../chunk'
import type { Db } from '../db'
import { col, runReads, tenantIs, type Read, type ReadRow, type TenantScope } from '../read-batch'
import { GROUP_MEMBERS_BY_USER } from '../schema'

export interface MemberRef {
  value: string
  display: string | null
}

/** References of each owner (a group's members, a user's groups), in the order read. */
export type Relation = Map<string, MemberRef[]>

/** The ids of a few resources, as one JSON parameter (see JSON_LIST_MAX). */
export const idList = (ids: readonly string[]): SqlFragment => ({
  sql: '(SELECT value FROM json_each(?))',
  params: [JSON.stringify(ids)],
})

const toRelation = (rows: ReadRow[]): Relation => {
  const out: Relation = new Map()
  for (const row of rows) {
    const owner = col.text(row, 'owner')
    const list = out.get(owner) ?? []
    list.push({ value: col.text(row, 'value'), display: col.textOrNull(row, 'display') })
    out.set(owner, list)
  }
  return out
}

/**
 * The members of each group of `groupIds` (ids, or a subquery selecting them), with the user's
 * displayName (or userName) as `display`.
 */
export const membersOfGroupsRead = (
  tenant: TenantScope,
  groupIds: SqlFragment
): Read<Relation> => ({
  sql: `SELECT gm.group_id AS owner, gm.user_id AS value,
      coalesce(json_extract(u.data, '$.displayName'), json_extract(u.data, '$.userName')) AS display
    FROM group_members gm JOIN users u ON u.tenant_id = gm.tenant_id AND u.id = gm.user_id
    WHERE gm.tenant_id = ${tenant.sql} AND gm.group_id IN ${groupIds.sql}
    ORDER BY gm.group_id, gm.user_id`,
  params: [...tenant.params, ...groupIds.params],
  map: toRelation,
})

/** The groups of each user of `userIds` (the readOnly `groups` attribute of RFC 7643 §4.1.2). */
export const groupsOfUsersRead = (tenant: TenantScope, userIds: SqlFragment): Read<Relation> => ({
  sql: `SELECT gm.user_id AS owner, gm.group_id AS value,
      json_extract(g.data, '$.displayName') AS display
    FROM group_members gm JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
    WHERE gm.tenant_id = ${tenant.sql} AND gm.user_id IN ${userIds.sql}
    ORDER BY gm.user_id, gm.group_id`,
  params: [...tenant.params, ...userIds.params],
  map: toRelation,
})

/** Column name of a relation folded into its owner's row (`groupsColumn`). */
const FOLDED = 'relation_json'
/** The most references a folded relation carries; an owner with more is read in full apart. */
export const FOLDED_MAX = 1000

/**
 * A user's groups as one more column of the user's own row (the table's alias `alias`): a JSON
 * array of `[groupId, displayName]` in group id order, at most FOLDED_MAX + 1 of them, so a user
 * read and its groups are one statement. `foldedRelation` reads it back. The user's own index is
 * named: ordered by group id, SQLite would rather walk the tenant's memberships in key order.
 */
export const groupsColumn = (alias: string): string =>
  `(SELECT json_group_array(json_array(r.value, r.display)) FROM (
      SELECT gm.group_id AS value, json_extract(g.data, '$.displayName') AS display
      FROM group_members gm INDEXED BY ${GROUP_MEMBERS_BY_USER}
        JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
      WHERE gm.tenant_id = ${alias}.tenant_id AND gm.user_id = ${alias}.id
      ORDER BY gm.group_id LIMIT ${String(FOLDED_MAX + 1)}) r) AS ${FOLDED}`

const isRef = (v: unknown): v is [string, string | null] =>
  Array.isArray(v) && typeof v[0] === 'string' && (typeof v[1] === 'string' || v[1] === null)

/**
 * The relation folded into rows (`groupsColumn`), by each row's `id`, and the ids of the rows
 * whose list was cut at FOLDED_MAX: their relation must be read in full (`groupsOfUsersRead`).
 */
export function foldedRelation(rows: readonly ReadRow[]): { relation: Relation; cut: string[] } {
  const relation: Relation = new Map()
  const cut: string[] = []
  for (const row of rows) {
    const id = col.text(row, 'id')
    const refs: unknown = JSON.parse(col.text(row, FOLDED) || '[]')
    const list = Array.isArray(refs) ? refs.filter(isRef) : []
    if (list.length > FOLDED_MAX) cut.push(id)
    else if (list.length > 0)
      relation.set(
        id,
        list.map(([value, display]) => ({ value, display }))
      )
  }
  return { relation, cut }
}

/** A relation of any number of owners, read in one round trip (one statement per id chunk). */
async function relationOf(
  db: Db,
  tenantId: string,
  ids: readonly string[],
  read: (tenant: TenantScope, ids: SqlFragment) => Read<Relation>
): Promise<Relation> {
  const reads = chunk(ids, JSON_LIST_MAX).map((part) => read(tenantIs(tenantId), idList(part)))
  const parts = await runReads(db.$client, reads)
  return new Map(parts.flatMap((m) => [...m]))
}

/** Members of each group, with the user's displayName (or userName) as `display`. */
export const membersOfGroups = (db: Db, tenantId: string, groupIds: readonly string[]) =>
  relationOf(db, tenantId, groupIds, membersOfGroupsRead)

/** Groups of each user (the readOnly `groups` attribute of RFC 7643 §4.1.2). */
export const groupsOfUsers = (db: Db, tenantId: string, userIds: readonly string[]) =>
  relationOf(db, tenantId, userIds, groupsOfUsersRead)
