/**
 * @module The Do Not Track list. Entries are sticky: a later `tracking=true`, leaving a DNT group
 * or re-provisioning never removes one; only an operator's DELETE does, and that is recorded.
 * An agent is not tracked when it has an entry or its linked user has one. An agent removed with
 * its deleted user stays removed while its own entry exists; once the entry is removed, the
 * agent's next report brings it back (licensed, and linked to whichever user it matches).
 */
import { userIdentifiers } from '../directory/identifiers'
import { notFound } from '../scim/errors'
import type { ScimDocument } from '../scim/schemas/attribute'
import { getAgentsByIds, removedAgentsWithoutDnt, type AgentRow } from '../storage/repos/agents'
import { getUser } from '../storage/repos/users'
import {
  deleteDntStatement,
  dntEntryOf,
  getDntEntry,
  insertDntStatement,
  type DntRow,
} from '../storage/repos/dnt'
import { Changeset, commit } from './changeset'
import type { WriteContext } from './write-context'

export type DntSource = DntRow['source']

function entry(
  ctx: WriteContext,
  fields: Pick<DntRow, 'userId' | 'agentId' | 'label' | 'identifiers' | 'source'>
): DntRow {
  return {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    instanceId: ctx.actor.instanceId,
    createdAt: ctx.now,
    ...fields,
  }
}

function recordAdd(cs: Changeset, row: DntRow, userId: string | null): void {
  cs.record({
    op: 'dnt.add',
    resourceType: 'DntEntry',
    resourceId: row.id,
    userId,
    changes: [
      { attr: 'source', after: row.source },
      { attr: 'label', after: row.label },
    ],
  })
}

/** Puts a user on the list unless already there; returns whether an entry was added. */
export async function ensureUserDnt(
  ctx: WriteContext,
  cs: Changeset,
  user: { id: string; doc: ScimDocument },
  source: DntSource,
  { isNew = false }: { isNew?: boolean } = {}
): Promise<boolean> {
  // A user being created has a fresh id: no entry can name it yet, so there is nothing to read.
  if (!isNew && (await dntEntryOf(ctx.db, ctx.tenantId, { userId: user.id }))) return false
  const ids = userIdentifiers(user.doc)
  const identifiers = {
    userName: ids.userName,
    upns: ids.upns,
    workEmails: ids.workEmails,
    employeeNumber: ids.employeeNumber,
  }
  const row = entry(ctx, {
    userId: user.id,
    agentId: null,
    label: ids.userName,
    identifiers: JSON.stringify(identifiers),
    source,
  })
  cs.add(insertDntStatement(ctx.db, row))
  recordAdd(cs, row, user.id)
  return true
}

/** Puts an agent on the list unless already there. */
export async function ensureAgentDnt(
  ctx: WriteContext,
  cs: Changeset,
  agent: AgentRow,
  source: DntSource
): Promise<boolean> {
  if (await dntEntryOf(ctx.db, ctx.tenantId, { agentId: agent.id })) return false
  const identifiers = {
    logonName: agent.logonName,
    domain: agent.domain,
    upn: agent.upn,
    email: agent.email,
    employeeId: agent.employeeId,
  }
  const row = entry(ctx, {
    userId: null,
    agentId: agent.id,
    label: `${agent.domain}\\${agent.logonName}`,
    identifiers: JSON.stringify(identifiers),
    source,
  })
  cs.add(insertDntStatement(ctx.db, row))
  recordAdd(cs, row, agent.userId)
  return true
}

/** The only way off the list: an operator's DELETE, recorded with what the entry held. */
export async function removeDntEntry(ctx: WriteContext, entryId: string): Promise<void> {
  const row = await getDntEntry(ctx.db, ctx.tenantId, entryId)
  if (!row) throw notFound(`Do Not Track entry "${entryId}" not found`)
  const cs = new Changeset().add(deleteDntStatement(ctx.db, ctx.tenantId, entryId))
  cs.record({
    op: 'dnt.remove',
    resourceType: 'DntEntry',
    resourceId: row.id,
    userId: row.userId,
    changes: [
      { attr: 'source', before: row.source },
      { attr: 'label', before: row.label },
    ],
  })
  await commit(ctx, cs, 'Do Not Track entry')
}

/** An operator puts a user or an agent on the list (idempotent); returns the entry. */
export async function addDntByOperator(
  ctx: WriteContext,
  target: { userId: string } | { agentId: string }
): Promise<DntRow> {
  const cs = new Changeset()
  if ('userId' in target) {
    const user = await getUser(ctx.db, ctx.tenantId, target.userId)
    if (!user) throw notFound(`User "${target.userId}" not found`)
    await ensureUserDnt(ctx, cs, user, 'operator')
  } else {
    const [agent] = await getAgentsByIds(ctx.db, ctx.tenantId, [target.agentId])
    if (!agent) throw notFound(`Agent "${target.agentId}" not found`)
    await ensureAgentDnt(ctx, cs, agent, 'operator')
  }
  await commit(ctx, cs, 'Do Not Track entry')
  const row = await dntEntryOf(ctx.db, ctx.tenantId, target)
  if (!row) throw new Error('Do Not Track entry missing after commit')
  return row
}

/**
 * Of reported agents, the removed ones whose own entry an operator has removed come back: they
 * are active again (they take a license) and are linked by the caller like new agents. Agents
 * whose entry remains stay removed, however often they report. Only a report brings an agent
 * back, so a device that no longer reports never takes a license again.
 */
export async function returningFromRemoval(
  ctx: WriteContext,
  cs: Changeset,
  rows: readonly AgentRow[]
): Promise<{ rows: AgentRow[]; restored: number }> {
  const removed = rows.filter((r) => r.state === 'removed').map((r) => r.id)
  if (removed.length === 0) return { rows: [...rows], restored: 0 }
  const free = await removedAgentsWithoutDnt(ctx.db, ctx.tenantId, removed)
  for (const id of free)
    cs.record({
      op: 'agent.restore',
      resourceType: 'Agent',
      resourceId: id,
      userId: null,
      changes: [{ attr: 'state', before: 'removed', after: 'active' }],
    })
  return {
    rows: rows.map((r) =>
      free.has(r.id) ? { ...r, state: 'active' as const, removedAt: null } : r
    ),
    restored: free.size,
  }
}
