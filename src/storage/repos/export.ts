/**
 * @module A tenant's rows for its export, read page by page in primary-key order: each page is
 * one indexed range read starting after the previous page's last key, so an export holds one
 * page in memory whatever the tenant's size, and a page costs the same at row 10 as at row
 * 10,000,000.
 */
import { and, asc, eq, gt, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Db } from '../db'
import { deletions, groups, history, roles, users } from '../schema'
import { listAgents, type AgentView } from './agents'
import { listDnt, type DntRow } from './dnt'
import { membersOfGroups, type MemberRef } from './groups'
import { listInstances, type InstanceRow } from './instances'
import { listKeys, type KeyRow } from './tenants'

/** Rows per page of documents (users, groups with their members). */
const DOCUMENT_PAGE = 200
/** Rows per page of everything else. */
const ROW_PAGE = 500

/** Pages of `read(after)` until a short page: `after` is the last key of the previous page. */
async function* pagesByKey<T>(
  read: (after: string | undefined) => Promise<T[]>,
  keyOf: (row: T) => string,
  pageSize: number
): AsyncGenerator<T[]> {
  let after: string | undefined
  for (;;) {
    const rows = await read(after)
    if (rows.length > 0) yield rows
    const last = rows.at(-1)
    if (rows.length < pageSize || last === undefined) return
    after = keyOf(last)
  }
}

/** `tenant_id = ? [AND id > after]`: the range of a `(tenant_id, id)` primary key. */
const range = (
  t: { tenantId: SQLiteColumn; id: SQLiteColumn },
  tenantId: string,
  after: string | undefined
): SQL | undefined =>
  and(eq(t.tenantId, tenantId), after === undefined ? undefined : gt(t.id, after))

export type UserExportRow = typeof users.$inferSelect

export const userPages = (db: Db, tenantId: string): AsyncGenerator<UserExportRow[]> =>
  pagesByKey(
    (after) =>
      db
        .select()
        .from(users)
        .where(range(users, tenantId, after))
        .orderBy(asc(users.id))
        .limit(DOCUMENT_PAGE)
        .all(),
    (r) => r.id,
    DOCUMENT_PAGE
  )

export interface GroupExportRow extends Omit<typeof groups.$inferSelect, 'tenantId'> {
  members: MemberRef[]
}

/** Groups with their members (a page's members in one query per 90 groups). */
export async function* groupPages(db: Db, tenantId: string): AsyncGenerator<GroupExportRow[]> {
  const pages = pagesByKey(
    (after) =>
      db
        .select()
        .from(groups)
        .where(range(groups, tenantId, after))
        .orderBy(asc(groups.id))
        .limit(DOCUMENT_PAGE)
        .all(),
    (r) => r.id,
    DOCUMENT_PAGE
  )
  for await (const page of pages) {
    const members = await membersOfGroups(
      db,
      tenantId,
      page.map((g) => g.id)
    )
    yield page.map(({ tenantId: _, ...g }) => ({ ...g, members: members.get(g.id) ?? [] }))
  }
}

export const agentPages = (db: Db, tenantId: string): AsyncGenerator<AgentView[]> =>
  pagesByKey(
    (after) => listAgents(db, tenantId, { limit: ROW_PAGE, ...(after ? { after } : {}) }),
    (r) => r.id,
    ROW_PAGE
  )

export const dntPages = (db: Db, tenantId: string): AsyncGenerator<DntRow[]> =>
  pagesByKey(
    (after) => listDnt(db, tenantId, { limit: ROW_PAGE, ...(after ? { after } : {}) }),
    (r) => r.id,
    ROW_PAGE
  )

export const deletionPages = (db: Db, tenantId: string) =>
  pagesByKey(
    (after) =>
      db
        .select()
        .from(deletions)
        .where(range(deletions, tenantId, after))
        .orderBy(asc(deletions.id))
        .limit(ROW_PAGE)
        .all(),
    (r) => r.id,
    ROW_PAGE
  )

export const rolePages = (db: Db, tenantId: string) =>
  pagesByKey(
    (after) =>
      db
        .select()
        .from(roles)
        .where(range(roles, tenantId, after))
        .orderBy(asc(roles.id))
        .limit(ROW_PAGE)
        .all(),
    (r) => r.id,
    ROW_PAGE
  )

/** Oldest first (UUIDv7 ids are time-ordered), so a reader replays the history in order. */
export const historyPages = (db: Db, tenantId: string) =>
  pagesByKey(
    (after) =>
      db
        .select()
        .from(history)
        .where(range(history, tenantId, after))
        .orderBy(asc(history.id))
        .limit(ROW_PAGE)
        .all(),
    (r) => r.id,
    ROW_PAGE
  )

/** A tenant has a handful of instances and keys: one page each. */
export async function* instancePages(db: Db, tenantId: string): AsyncGenerator<InstanceRow[]> {
  const rows = await listInstances(db, tenantId)
  if (rows.length > 0) yield rows
}

/** Revoked keys included: the export shows what existed. */
export async function* keyPages(db: Db, tenantId: string): AsyncGenerator<KeyRow[]> {
  const rows = await listKeys(db, tenantId)
  if (rows.length > 0) yield rows
}
