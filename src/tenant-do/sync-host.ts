/**
 * @module Runs a tenant's pull syncs inside its Durable Object: starts a run (at most one per
 * instance at a time), advances the due run by one checkpointed step per alarm, and keeps the
 * reports. The Graph client is built per step from the instance's settings and its sealed secret,
 * with the access token cached in memory until shortly before it expires.
 */
import { loadConfig } from '../config'
import { parsePullSettings, secretOwner, type PullSettings } from '../domain/instances'
import type { WriteContext } from '../domain/write-context'
import type { Env } from '../env'
import { createGraphClient, type CachedToken, type GraphClient } from '../graph/client'
import { unseal } from '../lib/sealed'
import { badRequest, conflict, notFound } from '../scim/errors'
import { getInstance, type InstanceRow } from '../storage/repos/instances'
import { newRun, type SyncRun } from '../sync/report'
import { runStep, type StepOutcome } from '../sync/runner'
import { SyncStage } from '../sync/stage'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class SyncHost {
  readonly #storage: DurableObjectStorage
  readonly #env: Env
  readonly #tokens = new Map<string, CachedToken>()
  #stage: SyncStage | undefined

  constructor(storage: DurableObjectStorage, env: Env) {
    this.#storage = storage
    this.#env = env
  }

  get stage(): SyncStage {
    this.#stage ??= new SyncStage(this.#storage)
    return this.#stage
  }

  /** Runs still in progress, oldest first. */
  activeRuns(): SyncRun[] {
    return this.stage.activeRuns()
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
    const running = this.activeRuns().find((r) => r.instanceId === instanceId)
    if (running?.nextAttemptAt) {
      // Waiting out throttling or an outage: "sync now" resumes that run rather than start another.
      running.nextAttemptAt = null
      this.stage.saveRun(running)
      return running
    }
    if (running)
      throw conflict(
        `A sync of "${instance.name}" is already running (run ${running.id}, phase ${running.phase})`
      )
    const run = newRun(ctx.newId(), instanceId, trigger, ctx.now)
    this.stage.saveRun(run)
    return run
  }

  /** Whether an instance's scheduled sync is due at `nowMs`. */
  isDue(instance: InstanceRow, nowMs: number): boolean {
    const settings = parsePullSettings(instance)
    if (
      !settings ||
      !instance.enabled ||
      this.activeRuns().some((r) => r.instanceId === instance.id)
    )
      return false
    const last = this.stage.lastStartedAt(instance.id)
    return last === undefined || Date.parse(last) + settings.intervalHours * 3_600_000 <= nowMs
  }

  /** The run to advance now, or the earliest time one will be due. */
  nextRun(nowMs: number): { run: SyncRun } | { atMs: number } | undefined {
    const runs = this.activeRuns()
    const due = runs.find((r) => r.nextAttemptAt === null || Date.parse(r.nextAttemptAt) <= nowMs)
    if (due) return { run: due }
    const times = runs.map((r) => Date.parse(r.nextAttemptAt ?? ''))
    return times.length ? { atMs: Math.min(...times) } : undefined
  }

  async #client(instance: InstanceRow, settings: PullSettings): Promise<GraphClient> {
    const key = this.#env.SECRETS_KEY
    if (!key || !instance.secretCiphertext)
      throw badRequest(
        'invalidValue',
        'The client secret cannot be read: SECRETS_KEY is not set or the secret is missing'
      )
    const config = loadConfig(this.#env)
    const fetcher = this.#env.GRAPH_FETCHER
    return createGraphClient(
      {
        graphBaseUrl: config.graphBaseUrl,
        tokenBaseUrl: config.graphTokenUrl,
        maxInlineRetries: 3,
        maxInlineWaitMs: 5_000,
      },
      {
        directoryId: settings.directoryId,
        clientId: settings.clientId,
        clientSecret: await unseal(instance.secretCiphertext, key, secretOwner(instance)),
      },
      {
        fetch: (request) => (fetcher ? fetcher.fetch(request) : fetch(request)),
        now: () => Date.now(),
        sleep,
        tokenCache: {
          get: () => this.#tokens.get(instance.id),
          set: (t) => this.#tokens.set(instance.id, t),
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
              checkpoint: () => this.stage.saveRun(run),
            },
            () => Date.now()
          ),
        (error: unknown) =>
          this.#fail(
            run,
            ctx,
            `The client secret could not be read: ${error instanceof Error ? error.message : String(error)}`
          )
      )
    }
    this.stage.saveRun(run)
    if (outcome.next === 'finished') this.stage.clearRun(run.id)
    // The step's checkpoints are durable before the step ends: a crash after it repeats nothing.
    await this.#storage.sync()
    return outcome
  }

  #fail(run: SyncRun, ctx: WriteContext, message: string): StepOutcome {
    run.errors.push({ at: ctx.now, message })
    run.status = 'failed'
    run.finishedAt = ctx.now
    return { next: 'finished' }
  }

  runs(instanceId: string, limit: number): SyncRun[] {
    return this.stage.runs(instanceId, limit)
  }
}
