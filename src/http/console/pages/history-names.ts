/**
 * @module Reads the names a page of history entries needs (see history-subjects.ts): the
 * tenant's small lists (instances, keys, roles, admins) once, and the users, groups and agents
 * the entries name, one batched lookup per kind for the whole page.
 */
import type { Db } from '../../../storage/db'
import { listAdmins } from '../../../storage/repos/admins'
import { getAgentsByIds } from '../../../storage/repos/agents'
import { listRoles } from '../../../storage/repos/roles'
import type { HistoryRow } from '../../../storage/repos/history'
import { listInstances } from '../../../storage/repos/instances'
import { groupNames, userNames } from '../../../storage/repos/names'
import { listKeys } from '../../../storage/repos/tenants'
import type { HistoryNames } from '../history-subjects'
import { parseChanges } from '../history-words'
import { agentLabel } from './agent-table'

export type TenantNames = Pick<HistoryNames, 'instances' | 'keys' | 'roles' | 'admins'>

/** The tenant's instances, keys, roles and admins by id: a handful of rows each. */
export async function tenantNames(db: Db, tenantId: string): Promise<TenantNames> {
  const [instances, keys, roles, admins] = await Promise.all([
    listInstances(db, tenantId),
    listKeys(db, tenantId),
    listRoles(db, tenantId),
    listAdmins(db, tenantId),
  ])
  return {
    instances: new Map(instances.map((i) => [i.id, i.name])),
    keys: new Map(keys.map((k) => [k.id, { name: k.name, instanceId: k.instanceId }])),
    roles: new Map(roles.map((r) => [r.id, r.name])),
    admins: new Map(admins.map((a) => [a.id, a.email])),
  }
}

const idsOf = (rows: readonly HistoryRow[], type: string) =>
  rows.flatMap((r) => (r.resourceType === type ? [r.resourceId] : []))

/** Group ids that role changes record: the role `group:<id>` and the group giving a role. */
function groupIdsInChanges(rows: readonly HistoryRow[]): string[] {
  return rows
    .filter((r) => r.op === 'role.change')
    .flatMap((r) => parseChanges(r.changes))
    .flatMap((c) => [c.before, c.after])
    .flatMap((v) => (typeof v === 'string' ? [v.replace(/^group:/, '')] : []))
}

/** Every name the entries of one page point at. */
export async function pageNames(
  db: Db,
  tenantId: string,
  rows: readonly HistoryRow[],
  tenant: TenantNames
): Promise<HistoryNames> {
  const userIds = [...idsOf(rows, 'User'), ...rows.flatMap((r) => r.userId ?? [])]
  const [users, groups, agents] = await Promise.all([
    userNames(db, tenantId, userIds),
    groupNames(db, tenantId, [...idsOf(rows, 'Group'), ...groupIdsInChanges(rows)]),
    getAgentsByIds(db, tenantId, [...new Set(idsOf(rows, 'Agent'))]),
  ])
  return { ...tenant, users, groups, agents: new Map(agents.map((a) => [a.id, agentLabel(a)])) }
}
