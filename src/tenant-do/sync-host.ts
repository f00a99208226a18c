/**
 * @module Runs a tenant's pull syncs inside its Durable Object: starts a run (at most one per
 * instance at a time), advances the due run by one checkpointed step per alarm, retries a failed
 * run with backoff (src/sync/schedule.ts) on the same alarm, and keeps the reports. The Graph
 * client is built per step from the instance's settings: its own app registration and sealed
 * secret, or for a consent instance the operator's multi-tenant app (ENTRA_APP_CLIENT_ID and
 * ENTRA_APP_CLIENT_SECRET) in the directory that consented, with the access token cached in
 * memory until shortly before it expires. A consent instance still waiting for consent neither
 * starts nor is scheduled.
 */
import { loadConfig } from '../config'
import {
  awaitsConsent,
  parsePullSettings,
  secretOwner,
  type PullSettings,
} from '../domain/instances'
import type { WriteContext } from '../domain/write-context'
import type { Env } from '../env'
import {
  createGraphClient,
  type CachedToken,
  type GraphClient,
  type GraphCredentials,
} from '../graph/client'
import { unseal } from '../lib/sealed'
import { badRequest, conflict, notFound, ScimError } from '../scim/errors'
import { getInstance, type InstanceRow } from '../storage/repos/instances'
import { newRun, type SyncRun } from '../sync/report'
import { SyncRunStore } from '../sync/run-store'
import { runStep, type StepOutcome } from '../sync/runner'
import {
  nextRunDueMs,
  RUN_RETRY_DELAYS_MS,
  runRetryDelayMs,
  type FailureKind,
} from '../sync/schedule'
import { SyncStage } from '../sync/stage'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class SyncHost {
  readonly #storage: DurableObjectStorage
  readonly #env: Env
  readonly #tokens = new Map<string, CachedToken>()
  #stage: SyncStage | undefined
  #runs: SyncRunStore | undefined

  constructor(storage: DurableObjectStorage, env: Env) {
    this.#storage = storage
    this.#env = env
  }

  get stage(): SyncStage {
    this.#stage ??= new SyncStage(this.#storage)
    return this.#stage
  }

  get runStore(): SyncRunStore {
    this.#runs ??= new SyncRunStore(this.#storage)
    return this.#runs
  }

  /** Runs still in progress, oldest first. */
  activeRuns(): SyncRun[] {
    return this.runStore.active()
  }

  async start(
    ctx: WriteContext,
    instanceId: string,
    trigger: SyncRun['trigger']
  ): Promise<SyncRun> {
    const instance = await getInstance(ctx.db, ctx.tenantId, instanceId)
    if (!instance) throw notFound(`Instance "${instanceId}" not found`)
    if (instance.kind !== 'entra-pull')
      throw badRequest('invalidValue', `Instance "${instance.name}" is not an entra-pull instance`)
    if (!instance.enabled)
      throw badRequest('invalidValue', `Instance "${instance.name}" is disabled; enable it first`)
    const settings = parsePullSettings(instance)
    if (settings && awaitsConsent(settings))
      throw badRequest(
        'invalidValue',
        `Instance "${instance.name}" is waiting for consent: connect it to Microsoft Entra ID first (an administrator of your directory grants read access), then sync`
      )
    const running = this.activeRuns().find((r) => r.instanceId === instanceId)
    if (running?.nextAttemptAt) {
      // Waiting out throttling or an outage: "sync now" resumes that run rather than start another.
      running.nextAttemptAt = null
      this.runStore.save(running)
      return running
    }
    if (running)
      throw conflict(
        `A sync of "${instance.name}" is already running (run ${running.id}, phase ${running.phase})`
      )
    const run = newRun(ctx.newId(), instanceId, trigger, ctx.now)
    this.runStore.save(run)
    return run
  }

  /**
   * When an instance's next run is due (epoch ms): its retry after a failure, else a full interval
   * after the last start. Undefined for a disabled instance; while a run is in progress, when it
   * takes its next step after throttling or an outage (undefined while it works).
   */
  nextRunAtMs(instance: InstanceRow): number | undefined {
    const settings = parsePullSettings(instance)
    if (!settings || !instance.enabled || awaitsConsent(settings)) return undefined
    const latest = this.runStore.latest(instance.id)
    if (latest?.status === 'running')
      return latest.nextAttemptAt ? Date.parse(latest.nextAttemptAt) : undefined
    return nextRunDueMs(latest, settings.intervalHours * 3_600_000, instance.createdAt)
  }

  /** The trigger of a run starting now, if one is due at `nowMs` (the cron's tick). */
  dueTrigger(instance: InstanceRow, nowMs: number): 'schedule' | 'retry' | undefined {
    const latest = this.runStore.latest(instance.id)
    const due = latest?.status === 'running' ? undefined : this.nextRunAtMs(instance)
    if (due === undefined || due > nowMs) return undefined
    return latest?.status === 'failed' && latest.retryAt ? 'retry' : 'schedule'
  }

  /**
   * What the alarm does next: advance a run, start the retry of a failed one, or nothing until
   * the earliest time either is due.
   */
  nextRun(nowMs: number): { run: SyncRun } | { retry: SyncRun } | { atMs: number } | undefined {
    const runs = this.activeRuns()
    const due = runs.find((r) => r.nextAttemptAt === null || Date.parse(r.nextAttemptAt) <= nowMs)
    if (due) return { run: due }
    const retries = this.runStore.awaitingRetry()
    const retry = retries.find((r) => Date.parse(r.retryAt ?? '') <= nowMs)
    if (retry) return { retry }
    const times = [
      ...runs.map((r) => Date.parse(r.nextAttemptAt ?? '')),
      ...retries.map((r) => Date.parse(r.retryAt ?? '')),
    ]
    return times.length ? { atMs: Math.min(...times) } : undefined
  }

  /**
   * Starts the retry of a failed run. An instance that was disabled, deleted or is already
   * running again needs no retry: the failed run's retry is dropped instead.
   */
  async startRetry(ctx: WriteContext, failed: SyncRun): Promise<SyncRun | null> {
    try {
      return await this.start(ctx, failed.instanceId, 'retry')
    } catch (error) {
      if (!(error instanceof ScimError)) throw error
      this.runStore.save({ ...failed, retryAt: null })
      return null
    }
  }

  /**
   * Ends an instance's active run as `cancelled` at once (the instance was disabled or deleted)
   * and clears what it had staged.
   */
  cancel(instanceId: string, at: string): void {
    const run = this.activeRuns().find((r) => r.instanceId === instanceId)
    if (!run) return
    this.runStore.save({ ...run, status: 'cancelled', finishedAt: at, nextAttemptAt: null })
    this.stage.clearRun(run.id)
  }

  /** Forgets a deleted instance: its links, its runs and what they staged. */
  forgetInstance(instanceId: string): void {
    this.stage.forgetInstance(instanceId, this.runStore.forgetInstance(instanceId))
  }

  /**
   * What a run reads Graph with: the operator's app in the consenting directory, or the
   * instance's own app registration with its secret unsealed. Throws what the run report says.
   */
  async #credentials(instance: InstanceRow, settings: PullSettings): Promise<GraphCredentials> {
    if (settings.auth === 'consent') {
      const app = loadConfig(this.#env).operatorApp
      if ('missing' in app)
        throw new Error(
          `The service's Microsoft Entra application is not configured: the Worker setting ${app.missing} is not set (an operator must set it)`
        )
      if (settings.directoryId === null)
        throw new Error(`"${instance.name}" is waiting for consent: connect it first`)
      return { directoryId: settings.directoryId, ...app }
    }
    const key = this.#env.SECRETS_KEY
    if (!key || !instance.secretCiphertext)
      throw new Error(
        'The client secret cannot be read: SECRETS_KEY is not set or the secret is missing'
      )
    const clientSecret = await unseal(instance.secretCiphertext, key, secretOwner(instance)).catch(
      (error: unknown) => {
        throw new Error(
          `The client secret could not be read: ${error instanceof Error ? error.message : String(error)}`
        )
      }
    )
    return {
      directoryId: settings.directoryId ?? '',
      clientId: settings.clientId ?? '',
      clientSecret,
    }
  }

  async #client(instance: InstanceRow, settings: PullSettings): Promise<GraphClient> {
    const credentials = await this.#credentials(instance, settings)
    // A token belongs to one app in one directory: a reconnect or a changed id needs a new one.
    const cacheKey = `${instance.id}/${credentials.directoryId}/${credentials.clientId}`
    const config = loadConfig(this.#env)
    const fetcher = this.#env.GRAPH_FETCHER
    return createGraphClient(
      {
        graphBaseUrl: config.graphBaseUrl,
        tokenBaseUrl: config.graphTokenUrl,
        // A step runs in the object's serial write queue: every inline wait holds up the
        // tenant's SCIM writes. So a step waits out only a blip inline (1 s a wait, 2 s in all);
        // anything longer ends it, and the alarm resumes the run after Retry-After with the
        // queue free meanwhile. The cost: a longer throttle takes a step and an alarm more, and
        // counts toward the run's attempts without progress when the step read nothing.
        maxInlineRetries: 2,
        maxInlineWaitMs: 1_000,
        maxInlineWaitTotalMs: 2_000,
      },
      credentials,
      {
        fetch: (request) => (fetcher ? fetcher.fetch(request) : fetch(request)),
        now: () => Date.now(),
        sleep,
        tokenCache: {
          get: () => this.#tokens.get(cacheKey),
          set: (t) => this.#tokens.set(cacheKey, t),
        },
      }
    )
  }

  /** One step of a run; checkpoints it; on the last step clears its staging. */
  async step(ctx: WriteContext, run: SyncRun): Promise<StepOutcome> {
    const instance = await getInstance(ctx.db, ctx.tenantId, run.instanceId)
    const settings = instance && parsePullSettings(instance)
    let outcome: StepOutcome
    if (!instance || !settings || !instance.enabled) {
      run.status = 'cancelled'
      run.finishedAt = ctx.now
      outcome = { next: 'finished' }
    } else {
      outcome = await this.#client(instance, settings).then(
        (graph) =>
          runStep(
            {
              run,
              settings,
              stage: this.stage,
              ctx,
              graph,
              checkpoint: () => this.runStore.save(run),
            },
            () => Date.now()
          ),
        (error: unknown) =>
          this.#fail(run, ctx, error instanceof Error ? error.message : String(error))
      )
      if (run.status === 'failed') this.#scheduleRetry(run, settings.intervalHours * 3_600_000, ctx)
    }
    this.runStore.save(run)
    if (outcome.next === 'finished') this.stage.clearRun(run.id)
    // The step's checkpoints are durable before the step ends: a crash after it repeats nothing.
    await this.#storage.sync()
    return outcome
  }

  #fail(run: SyncRun, ctx: WriteContext, message: string): StepOutcome {
    run.errors.push({ at: ctx.now, message })
    run.status = 'failed'
    run.failureKind = 'needs-admin'
    run.finishedAt = ctx.now
    return { next: 'finished' }
  }

  /** A failed run is retried by a new run, later the more runs failed in a row before it. */
  #scheduleRetry(run: SyncRun, intervalMs: number, ctx: WriteContext): void {
    const before = this.runStore.failuresBefore(run.instanceId, run.id, RUN_RETRY_DELAYS_MS.length)
    const kind: FailureKind = run.failureKind ?? 'transient'
    const delay = runRetryDelayMs(before + 1, kind, intervalMs)
    run.retryAt = new Date(Date.parse(run.finishedAt ?? ctx.now) + delay).toISOString()
  }

  runs(instanceId: string, limit: number): SyncRun[] {
    return this.runStore.list(instanceId, limit)
  }
}
