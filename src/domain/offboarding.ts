/**
 * @module Offboarding a tenant: everything it holds in its region is erased. The first step,
 * at the operator's request, marks it `offboarding`, revokes every key and disables every
 * instance in one batch, so its SCIM clients and agents are refused at once. Each later step
 * (on the tenant's Durable Object alarm) deletes at most a fixed number of rows, table by
 * table, and records how many it erased; once every table is empty, the step after removes the
 * tenant row itself. Nothing of it is recorded in its history: the history goes too.
 */
import { ScimError } from '../scim/errors'
import {
  beginOffboardingStatements,
  deleteTenantRow,
  ERASE_ORDER,
  eraseRows,
  saveOffboardingProgress,
} from '../storage/repos/erase'
import { getTenant } from '../storage/repos/tenants'
import type { OffboardingProgress } from '../storage/schema'
import { Changeset, commit } from './changeset'
import type { WriteContext } from './write-context'

export type { OffboardingProgress }

/** Where the offboarding stands after a step. */
export type OffboardingStep =
  | { done: false; progress: OffboardingProgress }
  /** The tenant row is gone; `progress` is its last record, if the row was still there. */
  | { done: true; progress: OffboardingProgress | null }

/** Starts the offboarding, or answers the progress of the one under way (asking twice is safe). */
export async function beginOffboarding(ctx: WriteContext): Promise<OffboardingProgress> {
  const tenant = await getTenant(ctx.db, ctx.tenantId)
  if (!tenant) throw new ScimError(404, `Tenant "${ctx.tenantId}" not found`)
  if (tenant.status === 'offboarding' && tenant.offboarding) return tenant.offboarding
  const progress: OffboardingProgress = {
    requestedAt: ctx.now,
    requestId: ctx.requestId,
    steps: 0,
    erasing: ERASE_ORDER[0] ?? null,
    erased: Object.fromEntries(ERASE_ORDER.map((t) => [t, 0])),
    erasedAt: null,
  }
  await commit(
    ctx,
    new Changeset().add(...beginOffboardingStatements(ctx.db, ctx.tenantId, progress)),
    'offboarding'
  )
  return progress
}

/** The table after `table` in the erase order; null after the last. */
function nextTable(table: string): string | null {
  return ERASE_ORDER[ERASE_ORDER.indexOf(table) + 1] ?? null
}

/**
 * One bounded step: deletes at most `rowsPerStep` rows, each table in its turn with what is
 * left of the budget; a table whose delete comes back short is empty. A D1 statement stays
 * bounded by the budget, so a tenant with millions of history rows takes many short steps.
 */
export async function offboardingStep(
  ctx: WriteContext,
  rowsPerStep: number
): Promise<OffboardingStep> {
  const tenant = await getTenant(ctx.db, ctx.tenantId)
  if (!tenant) return { done: true, progress: null }
  const before = tenant.offboarding
  if (tenant.status !== 'offboarding' || !before)
    throw new ScimError(409, `Tenant "${ctx.tenantId}" is not being offboarded`)
  if (before.erasedAt !== null) {
    await deleteTenantRow(ctx.db, ctx.tenantId)
    return { done: true, progress: before }
  }
  const erased = { ...before.erased }
  let table = before.erasing
  let budget = rowsPerStep
  while (table !== null && budget > 0) {
    const n = await eraseRows(ctx.db, table, ctx.tenantId, budget)
    // Counted after the delete commits: a crash in between leaves rows erased but uncounted,
    // never counted but kept.
    erased[table] = (erased[table] ?? 0) + n
    budget -= n
    if (budget > 0) table = nextTable(table)
  }
  const progress: OffboardingProgress = {
    ...before,
    steps: before.steps + 1,
    erasing: table,
    erased,
    erasedAt: table === null ? ctx.now : null,
  }
  await saveOffboardingProgress(ctx.db, ctx.tenantId, progress)
  return { done: false, progress }
}
