/**
 * @module The names of what list rows point at (a history entry's user or group, an agent's
 * linked user), for a whole page at once: one primary-key lookup per id, in one query per kind,
 * whatever the page's size. An id that is not (or no longer) in the tenant has no name.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { chunk, jsonValues, JSON_LIST_MAX } from '../chunk'
import type { Db } from '../db'
import { groups, users } from '../schema'

async function namesOf(
  ids: readonly string[],
  read: (part: string[]) => Promise<{ id: string; name: string | null }[]>
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const part of chunk([...new Set(ids)], JSON_LIST_MAX))
    for (const row of await read(part)) if (row.name !== null) names.set(row.id, row.name)
  return names
}

/** userName by user id. */
export function userNames(
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<Map<string, string>> {
  return namesOf(ids, (part) =>
    db
      .select({ id: users.id, name: sql<string | null>`json_extract(${users.data}, '$.userName')` })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, jsonValues(part))))
      .all()
  )
}

/** displayName by group id. */
export function groupNames(
  db: Db,
  tenantId: string,
  ids: readonly string[]
): Promise<Map<string, string>> {
  return namesOf(ids, (part) =>
    db
      .select({
        id: groups.id,
        name: sql<string | null>`json_extract(${groups.data}, '$.displayName')`,
      })
      .from(groups)
      .where(and(eq(groups.tenantId, tenantId), inArray(groups.id, jsonValues(part))))
      .all()
  )
}
