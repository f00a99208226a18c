/**
 * @module The history's filtered reads for the admin API, the console and its CSV export: by
 * user, group, op (exact, or a family prefix such as `user.`), actor kind, console admin,
 * instance and time range, combined freely, newest first, cursor-paged by entry id.
 *
 * Every plan walks one index newest first and stops after a page: the index of the most
 * selective filter given (user, group, exact op, rare actor), else the primary key. All of them
 * end with `id`, so a time range (UUIDv7 ids are time-ordered) and the cursor are a range on
 * that walk. The other filters are written `+h.column`, which SQLite never uses to pick an
 * index, so the plan does not depend on its guesses (D1 keeps no statistics).
 */
import { uuidV7Floor } from '../../lib/ids'
import { badRequest } from '../../scim/errors'
import { allRows, type Db } from '../db'
import type { SqlFragment } from '../filter-sql/compare'
import { prefixRange, prefixUpperBound } from '../filter-sql/prefix'
import { pageOf, type Page, type PageInput } from '../page'
import { HISTORY_ACTOR_INDEXED, HISTORY_INDEXED_ACTORS, history } from '../schema'
import type { HistoryRow } from './history'

export type HistoryActor = HistoryRow['actor']

/** Who can act, as the history records it. */
export const HISTORY_ACTORS = history.actor.enumValues

/** Filters of a history read; every one given must hold. */
export interface HistoryFilter {
  userId?: string | undefined
  /** The group's own entries and the membership changes in it. */
  groupId?: string | undefined
  /** An exact op (`user.update`), or a family when it ends with a dot (`user.`). */
  op?: string | undefined
  actor?: HistoryActor | undefined
  /** The console admin who acted (implies actor `admin`). */
  actorId?: string | undefined
  instanceId?: string | undefined
  /** ISO time: entries at or after it. */
  from?: string | undefined
  /** ISO time: entries before it. */
  to?: string | undefined
}

/** The cursor is the id of the previous page's last (oldest) entry. */
export interface HistoryQuery extends HistoryFilter, PageInput {}

/** Most ops of one family read as one union (each branch binds about nine parameters). */
const MAX_FAMILY_OPS = 9

const SELECT = `SELECT h.tenant_id AS tenantId, h.id AS id, h.at AS at, h.actor AS actor,
 h.actor_id AS actorId, h.actor_name AS actorName, h.instance_id AS instanceId, h.key_id AS keyId,
 h.request_id AS requestId, h.op AS op, h.resource_type AS resourceType,
 h.resource_id AS resourceId, h.user_id AS userId, h.changes AS changes FROM history h`

type Column =
  'user_id' | 'resource_id' | 'resource_type' | 'op' | 'actor' | 'actor_id' | 'instance_id'

interface Condition {
  column: Column
  value: string
  /** Starts with `value` instead of equals it. */
  prefix?: boolean
}

/** The condition whose index the read walks (none: the primary key), and the others. */
interface Plan {
  driver: Condition | undefined
  residual: Condition[]
}

/** An op that ends with a dot names a family (`user.` for user.create, user.update…). */
const isOpFamily = (op: string): boolean => op.endsWith('.')

function conditionsOf(f: HistoryFilter): Condition[] {
  const out: Condition[] = []
  const add = (column: Column, value: string | undefined) => {
    if (value !== undefined) out.push({ column, value })
  }
  add('user_id', f.userId)
  add('resource_id', f.groupId)
  if (f.groupId !== undefined) add('resource_type', 'Group')
  if (f.op !== undefined) out.push({ column: 'op', value: f.op, prefix: isOpFamily(f.op) })
  // Only console admins carry an actor id.
  if (f.actorId !== undefined) add('actor', 'admin')
  add('actor', f.actor)
  add('actor_id', f.actorId)
  add('instance_id', f.instanceId)
  return out
}

/** Walks the index of the most selective condition given: user, group, op, rare actor. */
function planOf(conditions: readonly Condition[]): Plan {
  const find = (column: Column, test: (c: Condition) => boolean) =>
    conditions.find((c) => c.column === column && test(c))
  const any = () => true
  const driver =
    find('user_id', any) ??
    find('resource_id', any) ??
    find('op', (c) => c.prefix !== true) ??
    find('op', any) ??
    find('actor', (c) => HISTORY_INDEXED_ACTORS.includes(c.value))
  return { driver, residual: conditions.filter((c) => c !== driver) }
}

function conditionSql(c: Condition, driving: boolean): SqlFragment {
  const column = `${driving ? '' : '+'}h.${c.column}`
  return c.prefix === true
    ? prefixRange(column, c.value)
    : { sql: `${column} = ?`, params: [c.value] }
}

function timeOf(name: string, iso: string): number {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw badRequest('invalidValue', `"${name}" must be an ISO date-time`)
  return ms
}

/** `from`/`to` as a range of ids (UUIDv7 ids are time-ordered), narrowed by the cursor. */
function idRange(q: HistoryQuery): SqlFragment[] {
  const out: SqlFragment[] = []
  if (q.from !== undefined)
    out.push({ sql: 'h.id >= ?', params: [uuidV7Floor(timeOf('from', q.from))] })
  const uppers = [
    ...(q.to !== undefined ? [uuidV7Floor(timeOf('to', q.to))] : []),
    ...(q.cursor !== undefined ? [q.cursor] : []),
  ].sort()
  if (uppers[0] !== undefined) out.push({ sql: 'h.id < ?', params: [uppers[0]] })
  return out
}

/** One newest-first walk along the plan's index, `limit + 1` entries at most. */
function walk(tenantId: string, q: HistoryQuery, plan: Plan): SqlFragment {
  const parts: SqlFragment[] = [{ sql: 'h.tenant_id = ?', params: [tenantId] }]
  if (plan.driver !== undefined) parts.push(conditionSql(plan.driver, true))
  // A partial index serves only queries that state its condition.
  if (plan.driver?.column === 'actor') parts.push({ sql: HISTORY_ACTOR_INDEXED, params: [] })
  for (const c of plan.residual) parts.push(conditionSql(c, false))
  parts.push(...idRange(q))
  return {
    sql: `${SELECT} WHERE ${parts.map((p) => p.sql).join(' AND ')} ORDER BY h.id DESC LIMIT ?`,
    params: [...parts.flatMap((p) => p.params), q.limit + 1],
  }
}

/**
 * The page query (exported for its query-plan test). For an op family, `familyOps` are the ops
 * of the family present in the tenant's history (see {@link buildOpFamilyQuery}): each is
 * walked along the op index and the walks are merged, so a rare family costs as little as a
 * common one. A family of more ops than one statement can bind walks the primary key.
 */
export function buildHistoryQuery(
  tenantId: string,
  q: HistoryQuery,
  familyOps: readonly string[] = []
): SqlFragment {
  const plan = planOf(conditionsOf(q))
  const family = plan.driver?.column === 'op' && plan.driver.prefix === true
  if (!family) return walk(tenantId, q, plan)
  if (familyOps.length === 0 || familyOps.length > MAX_FAMILY_OPS) {
    return walk(tenantId, q, { driver: undefined, residual: conditionsOf(q) })
  }
  const walks = familyOps.map((op) =>
    walk(tenantId, q, { driver: { column: 'op', value: op }, residual: plan.residual })
  )
  return {
    sql: `${walks.map((w) => `SELECT * FROM (${w.sql})`).join(' UNION ALL ')} ORDER BY id DESC LIMIT ?`,
    params: [...walks.flatMap((w) => w.params), q.limit + 1],
  }
}

/**
 * The distinct ops of the tenant's history that start with `prefix`, found by skipping along
 * the op index (one seek per op, never a walk over the entries).
 */
export function buildOpFamilyQuery(tenantId: string, prefix: string): SqlFragment {
  const upper = prefixUpperBound(prefix) ?? '\u{10FFFF}'
  const next = (after: string) =>
    `(SELECT min(op) FROM history WHERE tenant_id = ?1 AND op ${after} AND op < ?3)`
  return {
    sql: `WITH RECURSIVE family(op) AS (SELECT ${next('>= ?2')} UNION ALL SELECT ${next('> family.op')} FROM family WHERE family.op IS NOT NULL) SELECT op FROM family WHERE op IS NOT NULL LIMIT ?4`,
    params: [tenantId, prefix, upper, MAX_FAMILY_OPS + 1],
  }
}

/** A page of the tenant's history, newest first. */
export async function historyPage(
  db: Db,
  tenantId: string,
  query: HistoryQuery
): Promise<Page<HistoryRow>> {
  let familyOps: string[] = []
  if (query.op !== undefined && isOpFamily(query.op)) {
    const q = buildOpFamilyQuery(tenantId, query.op)
    familyOps = (await allRows<{ op: string }>(db.$client, q.sql, q.params)).map((r) => r.op)
    if (familyOps.length === 0) return { rows: [], nextCursor: null }
  }
  const q = buildHistoryQuery(tenantId, query, familyOps)
  const rows = await allRows<HistoryRow>(db.$client, q.sql, q.params)
  return pageOf(rows, query.limit, (r) => r.id)
}

/**
 * Every entry matching the filter, newest first, read `pageSize` at a time: for exports that
 * stream (a CSV download) without holding the whole history in memory.
 */
export async function* historyRows(
  db: Db,
  tenantId: string,
  filter: HistoryFilter,
  pageSize = 500
): AsyncGenerator<HistoryRow, void, undefined> {
  let cursor: string | undefined
  do {
    const page = await historyPage(db, tenantId, { ...filter, limit: pageSize, cursor })
    yield* page.rows
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
}
