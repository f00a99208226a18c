/**
 * @module One user as the user pages of the admin API and the console show it: the list row
 * (identifiers, state, agent count, DNT, the effective role and where it comes from) with the
 * user's groups and agents. Both callers read it here, so the role a page shows is always the
 * one the API answers.
 */
import type { Db } from '../db'
import { listAgents, type AgentView } from './agent-views'
import { groupsOfUsers } from './groups'
import { getUserListRow, type UserListRow } from './user-list'

/** More agents than one person ever has: the user page lists them all. */
const AGENTS_OF_A_USER = 1000

export interface UserDetail extends UserListRow {
  /** The user's groups, by id (the readOnly `groups` attribute of RFC 7643 §4.1.2). */
  groups: { id: string; displayName: string | null }[]
  /** Every agent linked to the user, merged and removed ones included. */
  agents: AgentView[]
}

/** The user with its groups and agents, or undefined when the tenant has no such user. */
export async function getUserDetail(
  db: Db,
  tenantId: string,
  id: string
): Promise<UserDetail | undefined> {
  const [row, groups, agents] = await Promise.all([
    getUserListRow(db, tenantId, id),
    groupsOfUsers(db, tenantId, [id]),
    listAgents(db, tenantId, { userId: id, limit: AGENTS_OF_A_USER }),
  ])
  if (!row) return undefined
  return {
    ...row,
    groups: (groups.get(id) ?? []).map((g) => ({ id: g.value, displayName: g.display })),
    agents,
  }
}
