/**
 * @module Read models of one group for the admin API and the console: its summary, and its user
 * and agent members (each agent of a member user counts as a member, as ActivTrak counts them).
 * Lists live in user-list.ts and group-list.ts. The console's group page reads the members a
 * page at a time, each user with the agents that count as members for them.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import { jsonValues } from '../chunk'
import { allRows, type Db } from '../db'
import { pageOf, type Page, type PageInput } from '../page'
import { agents, groupMembers, groups, users } from '../schema'

export interface GroupMembersView {
  userCount: number
  agentCount: number
  users: { id: string; userName: string; agents: number }[]
  /** `merged`: how many agents are merged into this one (it is the member for all of them). */
  agents: { id: string; logonName: string; domain: string; userId: string; merged: number }[]
}

/** How many agents are merged into the outer `agents` row (it is the member for all of them). */
const mergedCount = sql<number>`(SELECT count(*) FROM agents m WHERE m.tenant_id = agents.tenant_id AND m.merged_into = agents.id)`

// Agents merged into another hold no membership of their own (state `merged`), so a merged
// user counts once per remaining agent.
const activeAgentsOfMembers = and(
  eq(agents.tenantId, groupMembers.tenantId),
  eq(agents.userId, groupMembers.userId),
  eq(agents.state, 'active')
)

/**
 * SQL counting the member users of the group row `alias`, and their active agents (each agent
 * of a member counts as a member). Both walk the group's memberships by primary key; the join
 * order is fixed so the agents are looked up per member, never scanned.
 */
export function memberCountsSql(alias: string): { users: string; agents: string } {
  const inGroup = `m.tenant_id = ${alias}.tenant_id AND m.group_id = ${alias}.id`
  return {
    users: `(SELECT count(*) FROM group_members m WHERE ${inGroup})`,
    agents: `(SELECT count(*) FROM group_members m CROSS JOIN agents a ON a.tenant_id = m.tenant_id AND a.user_id = m.user_id AND a.state = 'active' WHERE ${inGroup})`,
  }
}

/** How many users, and how many of their active agents, a group has (one query). */
export async function groupMemberCounts(
  db: Db,
  tenantId: string,
  groupId: string
): Promise<{ userCount: number; agentCount: number }> {
  const counts = memberCountsSql('g')
  const [row] = await allRows<{ userCount: number; agentCount: number }>(
    db.$client,
    `SELECT ${counts.users} AS userCount, ${counts.agents} AS agentCount FROM groups g WHERE g.tenant_id = ? AND g.id = ?`,
    [tenantId, groupId]
  )
  return row ?? { userCount: 0, agentCount: 0 }
}

/** A group's members as the product counts them: users, and every agent of a member user. */
export async function groupMembersView(
  db: Db,
  tenantId: string,
  groupId: string,
  limit: number
): Promise<GroupMembersView> {
  const [counts, userRows, agentRows] = await Promise.all([
    groupMemberCounts(db, tenantId, groupId),
    firstMemberUsersQuery(db, tenantId, groupId, limit).all(),
    firstMemberAgentsQuery(db, tenantId, groupId, limit).all(),
  ])
  return {
    ...counts,
    users: userRows,
    agents: agentRows,
  }
}

const inGroup = (tenantId: string, groupId: string) =>
  and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId))

/** A group's first member users by id, unexecuted (exported for its query-plan test). */
export function firstMemberUsersQuery(db: Db, tenantId: string, groupId: string, limit: number) {
  return (
    db
      .select({
        id: users.id,
        userName: sql<string>`json_extract(${users.data}, '$.userName')`,
        agents: sql<number>`(SELECT count(*) FROM agents a WHERE a.tenant_id = users.tenant_id AND a.user_id = users.id AND a.state = 'active')`,
      })
      .from(groupMembers)
      .innerJoin(
        users,
        and(eq(users.tenantId, groupMembers.tenantId), eq(users.id, groupMembers.userId))
      )
      .where(inGroup(tenantId, groupId))
      // The membership's user id, the same value: ordered by the users' own id, SQLite would walk
      // every user of the tenant in that order and look each up in the group.
      .orderBy(asc(groupMembers.userId))
      .limit(limit)
  )
}

/** The first agents of a group's members by id, unexecuted (exported for its query-plan test). */
export function firstMemberAgentsQuery(db: Db, tenantId: string, groupId: string, limit: number) {
  return (
    db
      .select({
        id: agents.id,
        logonName: agents.logonName,
        domain: agents.domain,
        userId: groupMembers.userId,
        merged: mergedCount,
      })
      // CROSS JOIN: the group's memberships drive (SQLite keeps that order), then each member's
      // agents by their index; the page is sorted after. Left to itself SQLite walks every agent
      // of the tenant in id order and looks each up in the group.
      .from(groupMembers)
      .crossJoin(agents)
      .where(and(inGroup(tenantId, groupId), activeAgentsOfMembers))
      .orderBy(asc(agents.id))
      .limit(limit)
  )
}

/** A member user of a group, with their active agents (each one a member of its own). */
export interface GroupMemberRow {
  id: string
  userName: string
  displayName: string | null
  active: boolean
  agents: { id: string; logonName: string; domain: string; merged: number }[]
}

/** The member users' page query, unexecuted (exported for its query-plan test). */
export function groupMemberUsersQuery(db: Db, tenantId: string, groupId: string, query: PageInput) {
  const where = [eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId)]
  if (query.cursor !== undefined) where.push(gt(groupMembers.userId, query.cursor))
  return db
    .select({
      id: users.id,
      userName: sql<string>`json_extract(${users.data}, '$.userName')`,
      displayName: sql<string | null>`json_extract(${users.data}, '$.displayName')`,
      active: users.active,
    })
    .from(groupMembers)
    .innerJoin(
      users,
      and(eq(users.tenantId, groupMembers.tenantId), eq(users.id, groupMembers.userId))
    )
    .where(and(...where))
    .orderBy(asc(groupMembers.userId))
    .limit(query.limit + 1)
}

/**
 * The active agents of some users, one `agents_user` lookup each, unexecuted (exported for its
 * query-plan test). They are sorted after the lookups (`+id`): ordered by plain `id`, SQLite
 * walks the whole tenant along the primary key to spare itself sorting a page's few agents.
 */
export function activeAgentsQuery(db: Db, tenantId: string, userIds: readonly string[]) {
  return db
    .select({
      id: agents.id,
      logonName: agents.logonName,
      domain: agents.domain,
      userId: agents.userId,
      merged: mergedCount,
    })
    .from(agents)
    .where(
      and(
        eq(agents.tenantId, tenantId),
        inArray(agents.userId, jsonValues(userIds)),
        eq(agents.state, 'active')
      )
    )
    .orderBy(sql`+${agents.id}`)
}

/**
 * A page of a group's member users in id order (the cursor is the last user id), walked along
 * the `group_members` primary key, and the active agents of that page's users by the
 * `agents (tenant_id, user_id)` index: two queries whatever the group's size.
 */
export async function groupMemberPage(
  db: Db,
  tenantId: string,
  groupId: string,
  query: PageInput
): Promise<Page<GroupMemberRow>> {
  const rows = await groupMemberUsersQuery(db, tenantId, groupId, query).all()
  const page = pageOf(rows, query.limit, (r) => r.id)
  const ids = page.rows.map((r) => r.id)
  const agentRows = ids.length ? await activeAgentsQuery(db, tenantId, ids).all() : []
  const byUser = new Map<string, GroupMemberRow['agents']>()
  for (const { userId, ...agent } of agentRows)
    if (userId !== null) byUser.set(userId, [...(byUser.get(userId) ?? []), agent])
  return {
    nextCursor: page.nextCursor,
    rows: page.rows.map((u) => ({ ...u, agents: byUser.get(u.id) ?? [] })),
  }
}

export async function groupSummary(db: Db, tenantId: string, id: string) {
  return db
    .select({
      id: groups.id,
      displayName: sql<string>`json_extract(${groups.data}, '$.displayName')`,
      externalId: sql<string | null>`json_extract(${groups.data}, '$.externalId')`,
      roleId: groups.roleId,
      createdAt: groups.createdAt,
      updatedAt: groups.updatedAt,
    })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, id)))
    .get()
}
