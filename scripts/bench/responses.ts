/**
 * The parts of the service's answers the bench reads, parsed so a changed or broken answer fails
 * with the request that got it rather than as a wrong figure later.
 */
import { z } from 'zod'

/** A SCIM ListResponse (RFC 7644 §3.4.2). */
export const listResponse = z.object({
  totalResults: z.number(),
  Resources: z.array(z.unknown()).default([]),
})

/** A resource the service created or returned: its id. */
export const withId = z.object({ id: z.string() })

/** A SCIM User as the bench checks it. */
export const scimUser = z.object({ displayName: z.string().optional() })

/** A SCIM Group as the bench checks it. */
export const scimGroup = z.object({
  members: z.array(z.object({ value: z.string() })).default([]),
})

/** The admin API's answer to a batch of agent reports. */
export const agentBatch = z.object({
  received: z.number(),
  created: z.number(),
  updated: z.number(),
  linked: z.number(),
  linkChanges: z.number(),
  ms: z.number(),
})
export type AgentBatch = z.output<typeof agentBatch>

/** An instance created through the admin API. */
export const createdInstance = z.object({ instance: withId })

/** A pull sync run's report, as far as the bench reads it. */
const syncRun = z.object({
  id: z.string(),
  status: z.string(),
  phase: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  metrics: z.object({
    steps: z.number(),
    longestStepMs: z.number(),
    graphRequests: z.number(),
    tokenRequests: z.number(),
    d1RowsWritten: z.number(),
  }),
  counts: z.record(z.string(), z.number()),
  errors: z.array(z.object({ message: z.string() })),
  unsupportedGroups: z.array(z.unknown()),
})
export type SyncRun = z.output<typeof syncRun>

/** POST …/sync: the run it started. */
export const startedRun = z.object({ run: syncRun })
/** GET …/sync/runs: the latest runs, newest first. */
export const runList = z.object({ runs: z.array(syncRun) })
