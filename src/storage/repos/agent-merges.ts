/**
 * @module Agent merges in a regional database: the merge records, and the statements that fold
 * agents into a survivor (state `merged`, no license, no group membership of their own) and
 * unfold them again. Every lookup is by key or by an index (`agents_merged_into`,
 * `agent_merges_user`).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { byId } from '../../lib/ids'
import { jsonValues } from '../chunk'
import type { Db, Statement } from '../db'
import { agentMerges, agents } from '../schema'
import { agentsWhereIn, updateAgentsStatement, type AgentRow } from './agents'

type AgentMergeRow = typeof agentMerges.$inferSelect

/** A merge record, with its folded agents as a list. */
export interface AgentMerge extends Omit<AgentMergeRow, 'agentIds'> {
  agentIds: string[]
}

export type MergeEndReason = NonNullable<AgentMerge['endReason']>

function parseIds(json: string): string[] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []
}

const toMerge = (row: AgentMergeRow): AgentMerge => ({ ...row, agentIds: parseIds(row.agentIds) })

export async function getAgentMerge(
  db: Db,
  tenantId: string,
  id: string
): Promise<AgentMerge | undefined> {
  const row = await db
    .select()
    .from(agentMerges)
    .where(and(eq(agentMerges.tenantId, tenantId), eq(agentMerges.id, id)))
    .get()
  return row && toMerge(row)
}

/** The merges of a user that are still in force. */
export async function mergesInForceOfUser(
  db: Db,
  tenantId: string,
  userId: string
): Promise<AgentMerge[]> {
  const rows = await db
    .select()
    .from(agentMerges)
    .where(
      and(
        eq(agentMerges.tenantId, tenantId),
        eq(agentMerges.userId, userId),
        isNull(agentMerges.endedAt)
      )
    )
    .all()
  // Sorted here: asked for id order, SQLite walks the tenant's merges instead of the user's.
  return rows.sort(byId).map(toMerge)
}

/** The agents currently merged into any of the survivors. */
export const agentsMergedInto = (
  db: Db,
  tenantId: string,
  survivorIds: readonly string[]
): Promise<AgentRow[]> => agentsWhereIn(db, tenantId, agents.mergedInto, survivorIds)

export const insertAgentMergeStatement = (db: Db, merge: AgentMerge): Statement =>
  db.insert(agentMerges).values({ ...merge, agentIds: JSON.stringify(merge.agentIds) })

export function endAgentMergesStatement(
  db: Db,
  tenantId: string,
  mergeIds: readonly string[],
  reason: MergeEndReason,
  at: string
): Statement {
  return db
    .update(agentMerges)
    .set({ endedAt: at, endReason: reason })
    .where(
      and(
        eq(agentMerges.tenantId, tenantId),
        inArray(agentMerges.id, jsonValues(mergeIds)),
        isNull(agentMerges.endedAt)
      )
    )
}

/** Folds agents into the survivor: they keep their user link but hold no license of their own. */
export function foldAgentsStatement(
  db: Db,
  tenantId: string,
  merge: Pick<AgentMerge, 'id' | 'intoAgentId'>,
  agentIds: readonly string[],
  at: string
): Statement {
  return updateAgentsStatement(db, tenantId, agentIds, {
    state: 'merged',
    mergedInto: merge.intoAgentId,
    mergeId: merge.id,
    updatedAt: at,
  })
}

/** Unfolds merged agents back into separate, licensed agents (their links are re-evaluated apart). */
export function unfoldAgentsStatement(
  db: Db,
  tenantId: string,
  agentIds: readonly string[],
  at: string
): Statement {
  return updateAgentsStatement(
    db,
    tenantId,
    agentIds,
    { state: 'active', mergedInto: null, mergeId: null, updatedAt: at },
    eq(agents.state, 'merged')
  )
}
