/**
 * @module The names behind the ids a page of history entries refers to (groups, agents, roles,
 * integration instances, keys), so an entry reads "Added to group Sales by key entra" instead
 * of a list of ids. One query per page, each id a primary-key lookup within the tenant; a
 * resource deleted since simply has no name.
 */
import { allRows, type Db } from '../db'
import type { SqlFragment } from '../filter-sql/compare'

const HISTORY_NAME_KINDS = ['group', 'agent', 'role', 'instance', 'key'] as const
export type HistoryNameKind = (typeof HISTORY_NAME_KINDS)[number]

/** The ids to name, by kind. */
export type HistoryRefs = Record<HistoryNameKind, readonly string[]>

/** id → name, by kind. */
export type HistoryNames = Record<HistoryNameKind, ReadonlyMap<string, string>>

// Each branch reads one table by its primary key; `?2`… is a JSON list of ids. Instances and
// keys have ids of their own (not tenant-scoped), so their tenant check is written `+tenant_id`,
// which keeps SQLite from walking the tenant's index instead of looking each id up.
const BRANCHES: Record<HistoryNameKind, { select: string; tenant: string }> = {
  group: {
    select: `SELECT 'group' AS kind, id, json_extract(data, '$.displayName') AS name FROM groups`,
    tenant: 'tenant_id',
  },
  agent: {
    select: `SELECT 'agent' AS kind, id, domain || '\\' || logon_name AS name FROM agents`,
    tenant: 'tenant_id',
  },
  role: { select: `SELECT 'role' AS kind, id, name FROM roles`, tenant: 'tenant_id' },
  instance: { select: `SELECT 'instance' AS kind, id, name FROM instances`, tenant: '+tenant_id' },
  key: { select: `SELECT 'key' AS kind, id, name FROM scim_keys`, tenant: '+tenant_id' },
}

/** The query naming `refs` (exported for its query-plan test); null when there is nothing to name. */
export function buildHistoryNamesQuery(tenantId: string, refs: HistoryRefs): SqlFragment | null {
  const kinds = HISTORY_NAME_KINDS.filter((k) => refs[k].length > 0)
  if (kinds.length === 0) return null
  const branches = kinds.map(
    (k, i) =>
      `${BRANCHES[k].select} WHERE ${BRANCHES[k].tenant} = ?1 AND id IN (SELECT value FROM json_each(?${String(i + 2)}))`
  )
  return {
    sql: branches.join(' UNION ALL '),
    params: [tenantId, ...kinds.map((k) => JSON.stringify([...new Set(refs[k])]))],
  }
}

/** Names of the referenced resources that still exist in the tenant. */
export async function historyNames(
  db: Db,
  tenantId: string,
  refs: HistoryRefs
): Promise<HistoryNames> {
  const names: Record<HistoryNameKind, Map<string, string>> = {
    group: new Map(),
    agent: new Map(),
    role: new Map(),
    instance: new Map(),
    key: new Map(),
  }
  const q = buildHistoryNamesQuery(tenantId, refs)
  if (!q) return names
  const rows = await allRows<{ kind: HistoryNameKind; id: string; name: string | null }>(
    db.$client,
    q.sql,
    q.params
  )
  for (const r of rows) if (r.name !== null) names[r.kind].set(r.id, r.name)
  return names
}
