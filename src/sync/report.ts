/**
 * @module A pull sync run: its state while it runs (phase, paging position, retry count) and the
 * report it leaves (counts, unsupported groups, errors with their Graph request ids, when a
 * failed run is retried, and the step metrics the benchmark reads). The same record is
 * checkpointed after every step.
 */
import type { FailureKind } from './schedule'

export type Phase =
  | 'resolve'
  | 'children'
  | 'members'
  | 'apply-users'
  | 'apply-groups'
  | 'remove-groups'
  | 'apply-dnt'
  | 'apply-deletes'
  | 'out-of-scope'
  | 'done'

type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface SyncCounts {
  entraUsersSeen: number
  usersCreated: number
  usersUpdated: number
  linked: number
  unlinked: number
  groupsCreated: number
  groupsUpdated: number
  groupsDeleted: number
  groupsSkippedNoLinkedUsers: number
  membersAdded: number
  membersRemoved: number
  dntAdded: number
  deletionsRequested: number
}

export interface RunError {
  at: string
  message: string
  requestId?: string | undefined
  code?: string | undefined
}

/** An Entra user as the report names it. */
export interface UserRef {
  entraId: string
  userName: string
}

export interface SyncRun {
  id: string
  instanceId: string
  /** Who started it: "sync now", the schedule, or the retry of a failed run. */
  trigger: 'manual' | 'schedule' | 'retry'
  status: RunStatus
  phase: Phase
  startedAt: string
  finishedAt: string | null
  /** Resolved parent group ids. */
  parents: { groups: string | null; dnt: string | null; delete: string | null }
  /** Where the current phase stands: the last id handled. */
  after: string
  /** The Graph page to read next in the current phase (an @odata.nextLink), if any. */
  link: string | null
  /**
   * Transient failures (throttling, outages) in a row without progress: a step that checkpoints
   * a page or a chunk of writes resets it.
   */
  attempt: number
  /** When a run waiting out throttling or an outage takes its next step. */
  nextAttemptAt: string | null
  /** Why a failed run failed: time may fix it, or the customer must fix something. */
  failureKind: FailureKind | null
  /** When a failed run is retried by a new run (null once superseded or not retried). */
  retryAt: string | null
  counts: SyncCounts
  unsupportedGroups: { id: string; displayName: string; reason: string }[]
  /**
   * Product users this instance synced that are under no parent any more (they left every child
   * group, or Entra deleted them): kept as they are, active or not, without the groups.
   */
  usersOutOfScope: { count: number; sample: UserRef[] }
  errors: RunError[]
  metrics: {
    steps: number
    longestStepMs: number
    graphRequests: number
    tokenRequests: number
    d1RowsWritten: number
  }
}

const ZERO_COUNTS: SyncCounts = {
  entraUsersSeen: 0,
  usersCreated: 0,
  usersUpdated: 0,
  linked: 0,
  unlinked: 0,
  groupsCreated: 0,
  groupsUpdated: 0,
  groupsDeleted: 0,
  groupsSkippedNoLinkedUsers: 0,
  membersAdded: 0,
  membersRemoved: 0,
  dntAdded: 0,
  deletionsRequested: 0,
}

export function newRun(
  id: string,
  instanceId: string,
  trigger: SyncRun['trigger'],
  now: string
): SyncRun {
  return {
    id,
    instanceId,
    trigger,
    status: 'running',
    phase: 'resolve',
    startedAt: now,
    finishedAt: null,
    parents: { groups: null, dnt: null, delete: null },
    after: '',
    link: null,
    attempt: 0,
    nextAttemptAt: null,
    failureKind: null,
    retryAt: null,
    counts: { ...ZERO_COUNTS },
    unsupportedGroups: [],
    usersOutOfScope: { count: 0, sample: [] },
    errors: [],
    metrics: { steps: 0, longestStepMs: 0, graphRequests: 0, tokenRequests: 0, d1RowsWritten: 0 },
  }
}

/** Moves a run to its next phase, from the start of it. */
export const enterPhase = (run: SyncRun, phase: Phase): void => {
  run.phase = phase
  run.after = ''
  run.link = null
}

/** Errors kept per run: enough to diagnose, bounded so a bad run cannot grow without limit. */
const MAX_RUN_ERRORS = 50

export function addError(run: SyncRun, error: RunError): void {
  if (run.errors.length < MAX_RUN_ERRORS) run.errors.push(error)
}

/** Users named in a report's usersOutOfScope sample: enough to recognise, bounded. */
export const OUT_OF_SCOPE_SAMPLE = 20

export function addOutOfScope(run: SyncRun, users: readonly UserRef[]): void {
  const scope = run.usersOutOfScope
  scope.count += users.length
  scope.sample.push(...users.slice(0, Math.max(0, OUT_OF_SCOPE_SAMPLE - scope.sample.length)))
}
