/**
 * @module The shape of a stored pull sync run record (./report.ts), for reading it back from the
 * tenant object's storage. Fields added after a record was written read as their empty value,
 * so records of every release so far still read; anything else that does not match is refused.
 */
import { z } from 'zod'
import type { SyncCounts, SyncRun } from './report'

const count = z.number()

const countsSchema = z.object({
  entraUsersSeen: count,
  usersCreated: count,
  usersUpdated: count,
  linked: count,
  unlinked: count,
  groupsCreated: count,
  groupsUpdated: count,
  groupsDeleted: count,
  groupsSkippedNoLinkedUsers: count,
  membersAdded: count,
  membersRemoved: count,
  dntAdded: count,
  deletionsRequested: count,
}) satisfies z.ZodType<SyncCounts>

const runErrorSchema = z.object({
  at: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
  code: z.string().optional(),
})

const userRefSchema = z.object({ entraId: z.string(), userName: z.string() })

/** A run record as stored (JSON); its output is a complete SyncRun. */
export const syncRunSchema: z.ZodType<SyncRun> = z.object({
  id: z.string(),
  instanceId: z.string(),
  trigger: z.enum(['manual', 'schedule', 'retry']),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  phase: z.enum([
    'resolve',
    'children',
    'members',
    'apply-users',
    'apply-groups',
    'remove-groups',
    'apply-dnt',
    'apply-deletes',
    'out-of-scope',
    'done',
  ]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  parents: z.object({
    groups: z.string().nullable(),
    dnt: z.string().nullable(),
    delete: z.string().nullable(),
  }),
  after: z.string(),
  link: z.string().nullable(),
  attempt: z.number(),
  nextAttemptAt: z.string().nullable(),
  // Added after the first release: older records have none of these three.
  failureKind: z.enum(['transient', 'needs-admin']).nullable().default(null),
  retryAt: z.string().nullable().default(null),
  usersOutOfScope: z
    .object({ count: z.number(), sample: z.array(userRefSchema) })
    .default(() => ({ count: 0, sample: [] })),
  counts: countsSchema,
  unsupportedGroups: z.array(
    z.object({ id: z.string(), displayName: z.string(), reason: z.string() })
  ),
  errors: z.array(runErrorSchema),
  metrics: z.object({
    steps: z.number(),
    longestStepMs: z.number(),
    graphRequests: z.number(),
    tokenRequests: z.number(),
    d1RowsWritten: z.number(),
  }),
})
