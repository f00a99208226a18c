/**
 * @module What every apply phase of a sync gets: the run, the instance's settings, the staging
 * store with the links, and the write context of the tenant's Durable Object; and how much work
 * one step may do.
 */
import type { PullSettings } from '../../domain/instances'
import type { WriteContext } from '../../domain/write-context'
import type { SyncRun } from '../report'
import type { SyncStage } from '../stage'

/** What an apply phase of a sync step works with: its run, settings, staging and write context. */
export interface ApplyDeps {
  run: SyncRun
  settings: PullSettings
  stage: SyncStage
  ctx: WriteContext
}

/** Work per step: bounded so no single alarm invocation approaches the CPU limit. */
export const USERS_PER_STEP = 250
export const GROUPS_PER_STEP = 10
export const LISTED_PER_STEP = 200
export const LINKS_PER_STEP = 1000
