/**
 * @module A write in the making: the statements it will run and the history entries it will
 * record. A service fills one changeset and commits it once, as one atomic D1 batch, so a
 * change and its history (and its effects on agents, roles and the DNT list) land together or
 * not at all.
 */
import type { AttributeChange } from '../directory/changes'
import { logError } from '../lib/log'
import { conflict } from '../scim/errors'
import type { Statement } from '../storage/db'
import { commitWithHistory, historyJson, type HistoryRow } from '../storage/repos/history'
import type { StoredResource } from '../model/resource'
import { nextVersion, type WriteContext } from './write-context'

type ResourceKindName =
  | 'User'
  | 'Group'
  | 'Agent'
  | 'DntEntry'
  | 'Role'
  | 'Deletion'
  | 'Tenant'
  | 'Instance'
  | 'Key'
  | 'Admin'

export interface HistoryInput {
  op: string
  resourceType: ResourceKindName
  resourceId: string
  userId?: string | null
  changes?: AttributeChange[]
}

export class Changeset {
  readonly statements: Statement[] = []
  readonly entries: HistoryInput[] = []

  add(...statements: Statement[]): this {
    this.statements.push(...statements)
    return this
  }

  record(entry: HistoryInput): this {
    this.entries.push(entry)
    return this
  }

  get isEmpty(): boolean {
    return this.statements.length === 0 && this.entries.length === 0
  }
}

function historyRows(ctx: WriteContext, entries: readonly HistoryInput[]): HistoryRow[] {
  return entries.map((e) => ({
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    at: ctx.now,
    actor: ctx.actor.kind,
    actorId: ctx.actor.adminId ?? null,
    actorName: ctx.actor.name ?? null,
    instanceId: ctx.actor.instanceId,
    keyId: ctx.actor.keyId,
    requestId: ctx.requestId,
    op: e.op,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    userId: e.userId ?? null,
    changes: JSON.stringify(e.changes ?? []),
  }))
}

/**
 * What a unique-index failure of a commit answers (409): `what` names the thing that would be
 * duplicated ("… already exists"); an operation that creates nothing the caller named (a
 * deletion) gives its own `message` instead.
 */
export type ConflictText = string | { message: string }

/**
 * Commits a changeset atomically and returns the rows written. A unique-index race (which the
 * tenant's serial queue should prevent) surfaces as 409 `uniqueness` (RFC 7644 §3.12) worded by
 * `onConflict`. A batch D1 answered with an error but committed (the answer was lost on the way
 * back) counts as committed. When the object commits this write in one batch with others
 * (`ctx.staged`), the statements go there instead.
 */
export async function commit(
  ctx: WriteContext,
  cs: Changeset,
  onConflict: ConflictText
): Promise<number> {
  if (cs.isEmpty) return 0
  const history = historyJson(historyRows(ctx, cs.entries))
  if (ctx.staged) {
    ctx.staged.statements.push(...cs.statements)
    ctx.staged.historyJson.push(...history)
    return 0
  }
  try {
    const written = await commitWithHistory(ctx.d1, cs.statements, history, (error) => {
      logError(error, { requestId: ctx.requestId, job: 'batch-committed-answer-lost' })
    })
    ctx.meter.rowsWritten += written
    return written
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/i.test(error.message)) {
      throw conflict(
        typeof onConflict === 'string' ? `${onConflict} already exists` : onConflict.message
      )
    }
    throw error
  }
}

/**
 * Writes the next version of `current` holding `doc` as one commit: `stage` adds the row
 * statements and history of that version (and whatever else the write changes).
 */
export async function commitNextVersion<R extends StoredResource>(
  ctx: WriteContext,
  current: R,
  doc: StoredResource['doc'],
  stage: (cs: Changeset, next: R) => Promise<void>,
  onConflict: ConflictText
): Promise<R> {
  const next = nextVersion(ctx, current, doc)
  const cs = new Changeset()
  await stage(cs, next)
  await commit(ctx, cs, onConflict)
  return next
}

/** A statement over the tenant's rows among `ids`, stamped with the write's time. */
export type RowsStatement = (
  db: WriteContext['db'],
  tenantId: string,
  ids: readonly string[],
  at: string
) => Statement

/** Adds `statement` over these rows to `cs`; with no rows there is nothing to write. */
export function addForRows(
  ctx: WriteContext,
  cs: Changeset,
  rows: readonly { id: string }[],
  statement: RowsStatement
): void {
  if (rows.length)
    cs.add(
      statement(
        ctx.db,
        ctx.tenantId,
        rows.map((r) => r.id),
        ctx.now
      )
    )
}
