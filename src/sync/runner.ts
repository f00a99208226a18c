/**
 * @module One alarm step of a pull sync run: a bounded amount of work in the run's current
 * phase (a few Graph pages, or one chunk of product writes), then a checkpoint. Throttling and
 * outages reschedule the run after Graph's Retry-After (./schedule.ts), giving up only after
 * repeated failures without progress; wrong credentials, a missing permission or a wrong parent
 * group name stop it with a message that says what to fix.
 */
import { GraphError } from '../graph/errors'
import type { GraphClient } from '../graph/client'
import type { ApplyDeps } from './apply/context'
import { applyGroupsChunk, removeGroupsChunk } from './apply/groups'
import { reportOutOfScopeChunk } from './apply/out-of-scope'
import { applyDeletesChunk, applyDntChunk } from './apply/parents'
import { applyUsersChunk } from './apply/users'
import { readChildrenPage, readMembersPage, resolveParents, SyncConfigError } from './read-phases'
import { ScimError } from '../scim/errors'
import { addError, type RunError, type SyncRun } from './report'
import { MAX_TRANSIENT_ATTEMPTS, stepRetryWaitMs, type FailureKind } from './schedule'
import { logError } from '../lib/log'

/** Graph pages read per step at most, and users staged per step at most. */
const PAGES_PER_STEP = 8
const STAGED_USERS_PER_STEP = 4000

/** What one sync step works with: the apply phases' dependencies, Graph and the checkpoint. */
export interface StepDeps extends ApplyDeps {
  graph: GraphClient
  /** Persists the run record; called after every Graph page and every chunk of writes. */
  checkpoint: () => void
}

/** What the caller does next: run another step now, wait until a time, or nothing. */
export type StepOutcome = { next: 'now' } | { next: 'at'; atMs: number } | { next: 'finished' }

async function work(deps: StepDeps): Promise<void> {
  const { run } = deps
  let pages = 0
  let staged = 0
  while (pages < PAGES_PER_STEP && staged < STAGED_USERS_PER_STEP) {
    switch (run.phase) {
      case 'resolve':
        await resolveParents(deps)
        break
      case 'children':
        await readChildrenPage(deps)
        break
      case 'members':
        staged += await readMembersPage(deps)
        break
      case 'apply-users':
      case 'apply-groups':
      case 'remove-groups':
      case 'apply-dnt':
      case 'apply-deletes':
      case 'out-of-scope':
      case 'done':
        await applyChunk(deps)
        deps.checkpoint()
        return
    }
    deps.checkpoint()
    pages++
  }
}

function applyChunk(deps: StepDeps): Promise<void> {
  switch (deps.run.phase) {
    case 'apply-users':
      return applyUsersChunk(deps)
    case 'apply-groups':
      return applyGroupsChunk(deps)
    case 'remove-groups':
      return removeGroupsChunk(deps)
    case 'apply-dnt':
      return applyDntChunk(deps)
    case 'apply-deletes':
      return applyDeletesChunk(deps)
    case 'out-of-scope':
      return reportOutOfScopeChunk(deps)
    case 'resolve':
    case 'children':
    case 'members':
    case 'done':
      return Promise.resolve()
  }
}

function stop(
  run: SyncRun,
  nowMs: number,
  kind: FailureKind,
  message: string,
  extra: { requestId?: string | undefined; code?: string | undefined } = {}
): StepOutcome {
  addError(run, {
    at: new Date(nowMs).toISOString(),
    message,
    requestId: extra.requestId,
    code: extra.code,
  })
  run.status = 'failed'
  run.failureKind = kind
  run.finishedAt = new Date(nowMs).toISOString()
  run.nextAttemptAt = null
  return { next: 'finished' }
}

/**
 * Schedules the next attempt after what Graph asked for, or gives up after too many failures in
 * a row without progress. A step that checkpointed something before failing made progress: under
 * a steady throttling budget every step reads a few pages, and such a run must go on.
 */
function retryLater(
  run: SyncRun,
  nowMs: number,
  retryAfterMs: number,
  error: RunError,
  progressed: boolean
): StepOutcome {
  run.attempt = progressed ? 1 : run.attempt + 1
  if (run.attempt > MAX_TRANSIENT_ATTEMPTS) {
    return stop(
      run,
      nowMs,
      'transient',
      `Gave up after ${String(MAX_TRANSIENT_ATTEMPTS)} attempts without progress: ${error.message}`,
      error
    )
  }
  const atMs = nowMs + stepRetryWaitMs(run.attempt, retryAfterMs)
  addError(run, {
    ...error,
    message: `${error.message}; resuming at ${new Date(atMs).toISOString()}`,
  })
  run.nextAttemptAt = new Date(atMs).toISOString()
  return { next: 'at', atMs }
}

/**
 * Classifies a step's failure. Configuration and credentials errors and data the service
 * refuses (a SCIM 4xx) stop the run as needing the customer; other Graph answers it does not
 * expect stop it as transient; throttling, outages and anything unexpected (a D1 hiccup) are
 * retried within the run, so a run never hangs in "running".
 */
function onFailure(run: SyncRun, error: unknown, nowMs: number, progressed: boolean): StepOutcome {
  const at = new Date(nowMs).toISOString()
  if (error instanceof SyncConfigError) return stop(run, nowMs, 'needs-admin', error.message)
  if (error instanceof ScimError && error.status < 500)
    return stop(run, nowMs, 'needs-admin', `Refused: ${error.message}`)
  if (!(error instanceof GraphError)) {
    logError(error, { job: 'sync', runId: run.id })
    const message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
    return retryLater(run, nowMs, 0, { at, message }, progressed)
  }
  const f = error.failure
  const detail = { at, message: f.message, requestId: f.requestId, code: f.code }
  if (f.kind === 'throttled' || f.kind === 'unavailable')
    return retryLater(run, nowMs, f.retryAfterMs, detail, progressed)
  const kind = f.kind === 'credentials' ? 'needs-admin' : 'transient'
  return stop(run, nowMs, kind, f.message, detail)
}

/** Runs one step and records its metrics; the caller checkpoints the run afterwards. */
export async function runStep(deps: StepDeps, clock: () => number): Promise<StepOutcome> {
  const { run, graph, ctx } = deps
  const started = clock()
  const requests = graph.requestsMade
  const tokens = graph.tokenRequestsMade
  let outcome: StepOutcome
  let progressed = false
  const checkpoint = () => {
    progressed = true
    deps.checkpoint()
  }
  try {
    await work({ ...deps, checkpoint })
    run.attempt = 0
    run.nextAttemptAt = null
    if (run.phase === 'done') {
      run.status = 'succeeded'
      run.finishedAt = new Date(clock()).toISOString()
      outcome = { next: 'finished' }
    } else outcome = { next: 'now' }
  } catch (error) {
    outcome = onFailure(run, error, clock(), progressed)
  }
  const m = run.metrics
  m.steps++
  m.longestStepMs = Math.max(m.longestStepMs, clock() - started)
  m.graphRequests += graph.requestsMade - requests
  m.tokenRequests += graph.tokenRequestsMade - tokens
  m.d1RowsWritten += ctx.meter.rowsWritten
  return outcome
}
