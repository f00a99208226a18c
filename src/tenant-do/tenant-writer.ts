/**
 * @module The write path: one Durable Object per tenant runs every write of that tenant through
 * a serial queue, so concurrent requests can neither lose an update nor both pass a uniqueness
 * check. Its alarm runs the tenant's background work (deletion purges, pull sync runs, and at
 * the end its offboarding) in bounded, checkpointed steps.
 * See ./README.md for the invariant.
 */
import { DurableObject } from 'cloudflare:workers'
import {
  acceptInvitation,
  changeAdminRole,
  changePassword,
  inviteAdmin,
  recordSignIn,
  recordSignInFailure,
  reinviteAdmin,
  removeAdmin,
  signOut,
  type AdminRole,
  type InviteInput,
  type NewInvitation,
  type NewSession,
} from '../domain/admins'
import { addDntByOperator, removeDntEntry } from '../domain/dnt'
import { createGroup, deleteGroup, patchGroup, replaceGroup } from '../domain/groups'
import type { StoredResource } from '../model/resource'
import { createUser, deleteUser, patchUser, replaceUser, type WrittenUser } from '../domain/users'
import { upsertAgents, type AgentReport, type UpsertAgentsResult } from '../domain/agents'
import { mergeAgents, undoAgentMerge } from '../domain/agent-merges'
import type { MergeRequest } from '../directory/merging'
import type { AgentMerge } from '../storage/repos/agent-merges'
import type { OffboardingProgress } from '../domain/offboarding'
import { loadConfig, verifySettings } from '../config'
import {
  verifyDeletions,
  type VerifyResult,
  type VerifySettings,
} from '../domain/deletion-verification'
import { purgeStep } from '../domain/deletions'
import {
  connectConsent,
  createInstance,
  updateInstance,
  type CreatedInstance,
} from '../domain/instance-admin'
import type { InstancePatchInput, InstanceSpecInput, InstanceView } from '../domain/instances'
import {
  createKey,
  regenerateKey,
  revokeKey,
  type IssuedKey,
  type KeySpecInput,
  type KeyView,
} from '../domain/keys'
import { createRole, deleteRole, setGroupRole, updateRoleSettings } from '../domain/role-admin'
import { regionOfTenant, type Tenant } from '../model/tenant'
import { createTenant, type TenantSpecInput } from '../domain/tenants'
import { KnownState } from '../domain/known-state'
import {
  groupWriteNeeds,
  isWarm,
  noNeeds,
  userCreateNeeds,
  userWriteNeeds,
  warm,
  type WriteNeeds,
} from '../domain/warm'
import type { KeyClaim } from '../domain/key-check'
import {
  SYSTEM_ACTOR,
  type StagedCommit,
  type TenantSettings,
  type WriteContext,
} from '../domain/write-context'
import type { Env } from '../env'
import { monotonicUuidV7 } from '../lib/ids'
import { logError } from '../lib/log'
import { conflict, ScimError } from '../scim/errors'
import { regionD1, regionDb } from '../storage/db'
import { migrateObjectStorage } from '../storage/tenant-object/migrate'
import type { AdminRow } from '../storage/repos/admins'
import type { DntRow } from '../storage/repos/dnt'
import type { RoleRow } from '../storage/repos/roles'
import { tenantHasAgents } from '../storage/repos/agents'
import { getInstance } from '../storage/repos/instances'
import { getTenant } from '../storage/repos/tenants'
import type { SyncRun } from '../sync/report'
import type { Envelope, Failure, Outcome } from './commands'
import { ConsentNonces } from './consent-nonces'
import { KeyGate } from './key-gate'
import { enableInstance, removeInstance, type EnabledInstance } from './instance-lifecycle'
import { OffboardingHost } from './offboarding-host'
import { SyncHost } from './sync-host'
import { guarded, isRefusedRead, NEEDS_READ, WriteGroups, type Prepared } from './write-groups'

/** The settings a write sees while its tenant is being created (it has no row to read yet). */
const NEW_TENANT: TenantSettings = { roleMode: 'group-roles', defaultRoleId: null }

/** An instance's run reports, newest first, and when its next run is due (null: none planned). */
export interface SyncRunsView {
  runs: SyncRun[]
  nextRunAt: string | null
}
/** An admin consent answer: the directory that consented, and its request's nonce and expiry. */
export interface ConsentGrant {
  directoryId: string
  nonce: string
  expiresAtMs: number
}

/** Delay between alarm steps while background work remains. */
const STEP_DELAY_MS = 100

export class TenantWriter extends DurableObject<Env> {
  readonly #known = new KnownState()
  readonly #keys = new KeyGate()
  readonly #groups = new WriteGroups({
    attribute: (requestIds, work) => this.attribute(requestIds, work),
    isWarm: (needs) => isWarm(this.#known, needs),
    forget: () => {
      this.#known.clear()
      this.#keys.forget()
    },
    wake: () => this.#arm(Date.now()),
    lingerMs: loadConfig(this.env).groupCommitLingerMs,
  })
  readonly #ids = monotonicUuidV7()
  readonly #sync = new SyncHost(this.ctx.storage, this.env)
  readonly #offboarding = new OffboardingHost(this.ctx.storage)
  readonly #consents = new ConsentNonces(this.ctx.storage)
  #settings: TenantSettings | undefined
  #hasAgents: boolean | undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    // No request or alarm runs before the object's own tables are at the current version. Not
    // awaited (a constructor cannot be): blockConcurrencyWhile holds every event until it
    // settles, and a failed migration resets the object instead of letting it run.
    void ctx.blockConcurrencyWhile(() => migrateObjectStorage(ctx.storage))
  }

  /** RFC 7644 §3.3: a new user; its userName is unique in the tenant (409 otherwise). */
  createUser(envelope: Envelope, body: unknown): Promise<Outcome<StoredResource>> {
    // Its agent links' needs only matter where there are agents (unknown before the first write).
    const needs = this.#hasAgents === false ? noNeeds() : userCreateNeeds(body)
    return this.#write(envelope, needs, (ctx) => createUser(ctx, body))
  }

  /** RFC 7644 §3.5.1: replaces a user's attributes; `ifMatch` makes it conditional (§3.14). */
  replaceUser(
    envelope: Envelope,
    id: string,
    body: unknown,
    ifMatch?: string
  ): Promise<Outcome<WrittenUser>> {
    return this.#write(envelope, userWriteNeeds(id), (ctx) => replaceUser(ctx, id, body, ifMatch))
  }

  /** RFC 7644 §3.5.2: applies a PATCH request to a user. */
  patchUser(
    envelope: Envelope,
    id: string,
    body: unknown,
    ifMatch?: string
  ): Promise<Outcome<WrittenUser>> {
    return this.#write(envelope, userWriteNeeds(id), (ctx) => patchUser(ctx, id, body, ifMatch))
  }

  /** RFC 7644 §3.6: deletes a user (and requests the purge of what it leaves behind). */
  deleteUser(envelope: Envelope, id: string, ifMatch?: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await deleteUser(ctx, id, ifMatch)
      return null
    })
  }

  /** RFC 7644 §3.3: a new group, with the members it names. */
  createGroup(envelope: Envelope, body: unknown): Promise<Outcome<StoredResource>> {
    const needs = this.#withRoles(undefined, groupWriteNeeds(undefined, body, false))
    return this.#write(envelope, needs, (ctx) => createGroup(ctx, body))
  }

  /** RFC 7644 §3.5.1: replaces a group, its members included. */
  replaceGroup(
    envelope: Envelope,
    id: string,
    body: unknown,
    ifMatch?: string
  ): Promise<Outcome<StoredResource>> {
    const needs = this.#withRoles(id, groupWriteNeeds(id, body, false))
    return this.#write(envelope, needs, (ctx) => replaceGroup(ctx, id, body, ifMatch))
  }

  /** RFC 7644 §3.5.2: applies a PATCH request (attributes and member changes) to a group. */
  patchGroup(
    envelope: Envelope,
    id: string,
    body: unknown,
    ifMatch?: string
  ): Promise<Outcome<StoredResource>> {
    const needs = this.#withRoles(id, groupWriteNeeds(id, body, true))
    return this.#write(envelope, needs, (ctx) => patchGroup(ctx, id, body, ifMatch))
  }

  /**
   * A group write's needs with the members whose roles it recomputes (./README.md, the role
   * snapshot): in a tenant whose groups are its roles, every member it names; else those of a
   * group that carries a role, or may (not remembered yet). Unknown before the first write.
   */
  #withRoles(groupId: string | undefined, needs: WriteNeeds): WriteNeeds {
    const mode = this.#settings?.roleMode
    if (mode === undefined || needs.members.length === 0) return needs
    const known = groupId === undefined ? undefined : this.#known.group(groupId)
    const grants =
      mode === 'groups-as-roles' ||
      (groupId !== undefined && (known === undefined || known.group.roleId !== null))
    return grants ? { ...needs, roleUsers: needs.members } : needs
  }

  /** RFC 7644 §3.6: deletes a group; its members' roles are recomputed. */
  deleteGroup(envelope: Envelope, id: string, ifMatch?: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await deleteGroup(ctx, id, ifMatch)
      return null
    })
  }

  upsertAgents(envelope: Envelope, reports: AgentReport[]): Promise<Outcome<UpsertAgentsResult>> {
    return this.#run(envelope, async (ctx) => {
      const result = await upsertAgents(ctx, reports)
      this.#hasAgents = true
      return result
    })
  }

  /** An admin merges agents of one user into one (one license, one group member). */
  mergeAgents(envelope: Envelope, request: MergeRequest): Promise<Outcome<AgentMerge>> {
    return this.#run(envelope, (ctx) => mergeAgents(ctx, request))
  }

  /** Undoes a merge: its agents are separate, licensed agents again. */
  undoAgentMerge(envelope: Envelope, mergeId: string): Promise<Outcome<AgentMerge>> {
    return this.#run(envelope, (ctx) => undoAgentMerge(ctx, mergeId))
  }

  addDnt(
    envelope: Envelope,
    target: { userId: string } | { agentId: string }
  ): Promise<Outcome<DntRow>> {
    return this.#run(envelope, (ctx) => addDntByOperator(ctx, target))
  }

  removeDnt(envelope: Envelope, entryId: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await removeDntEntry(ctx, entryId)
      return null
    })
  }

  createRole(envelope: Envelope, name: string): Promise<Outcome<RoleRow>> {
    return this.#run(envelope, (ctx) => createRole(ctx, name))
  }

  deleteRole(envelope: Envelope, roleId: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await deleteRole(ctx, roleId)
      return null
    })
  }

  setGroupRole(
    envelope: Envelope,
    groupId: string,
    roleId: string | null
  ): Promise<Outcome<{ members: number }>> {
    return this.#run(envelope, (ctx) => setGroupRole(ctx, groupId, roleId))
  }

  updateRoleSettings(
    envelope: Envelope,
    change: Partial<TenantSettings>
  ): Promise<Outcome<TenantSettings>> {
    return this.#run(envelope, async (ctx) => {
      this.#settings = await updateRoleSettings(ctx, change)
      return this.#settings
    })
  }

  inviteAdmin(
    envelope: Envelope,
    input: InviteInput,
    invitation: NewInvitation
  ): Promise<Outcome<{ admin: AdminRow; expiresAt: string }>> {
    return this.#run(envelope, (ctx) => inviteAdmin(ctx, input, invitation))
  }

  reinviteAdmin(
    envelope: Envelope,
    adminId: string,
    invitation: NewInvitation
  ): Promise<Outcome<{ admin: AdminRow; expiresAt: string }>> {
    return this.#run(envelope, (ctx) => reinviteAdmin(ctx, adminId, invitation))
  }

  acceptInvitation(
    envelope: Envelope,
    tokenHash: string,
    passwordHash: string
  ): Promise<Outcome<AdminRow>> {
    return this.#run(envelope, (ctx) => acceptInvitation(ctx, tokenHash, passwordHash))
  }

  changePassword(
    envelope: Envelope,
    adminId: string,
    passwordHash: string
  ): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await changePassword(ctx, adminId, passwordHash)
      return null
    })
  }

  changeAdminRole(
    envelope: Envelope,
    adminId: string,
    role: AdminRole
  ): Promise<Outcome<AdminRow>> {
    return this.#run(envelope, (ctx) => changeAdminRole(ctx, adminId, role))
  }

  removeAdmin(envelope: Envelope, adminId: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await removeAdmin(ctx, adminId)
      return null
    })
  }

  recordSignIn(
    envelope: Envelope,
    adminId: string,
    session: NewSession
  ): Promise<Outcome<{ expiresAt: string }>> {
    return this.#run(envelope, (ctx) => recordSignIn(ctx, adminId, session))
  }

  recordSignInFailure(
    envelope: Envelope,
    adminId: string,
    reason: Parameters<typeof recordSignInFailure>[2]
  ): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await recordSignInFailure(ctx, adminId, reason)
      return null
    })
  }

  signOut(envelope: Envelope, adminId: string, idHash: string): Promise<Outcome<null>> {
    return this.#run(envelope, async (ctx) => {
      await signOut(ctx, adminId, idHash)
      return null
    })
  }

  /** Creates this object's tenant: its row, its default role and their history, in one batch. */
  createTenant(envelope: Envelope, spec: TenantSpecInput): Promise<Outcome<Tenant>> {
    const work = async (ctx: WriteContext) => {
      const tenant = await createTenant(ctx, spec)
      this.#settings = { roleMode: tenant.roleMode, defaultRoleId: tenant.defaultRoleId }
      await this.ctx.storage.put('tenantId', tenant.id)
      return tenant
    }
    return this.#run(envelope, work, undefined, 'creating')
  }

  /** A new instance; a SCIM kind answers its first key with the token, this once. */
  createInstance(envelope: Envelope, spec: InstanceSpecInput): Promise<Outcome<CreatedInstance>> {
    return this.#run(envelope, (ctx) => createInstance(ctx, spec, this.env.SECRETS_KEY))
  }

  updateInstance(
    envelope: Envelope,
    instanceId: string,
    patch: InstancePatchInput
  ): Promise<Outcome<InstanceView>> {
    return this.#run(envelope, (ctx) =>
      updateInstance(ctx, instanceId, patch, this.env.SECRETS_KEY)
    )
  }

  /**
   * Connects a consent instance to the directory whose admin granted consent. Each consent
   * request's answer is accepted once: a replay is refused (409) and changes nothing.
   */
  connectConsent(
    envelope: Envelope,
    instanceId: string,
    grant: ConsentGrant
  ): Promise<Outcome<InstanceView>> {
    return this.#run(envelope, async (ctx) => {
      if (await this.#consents.used(grant.nonce, Date.parse(ctx.now)))
        throw conflict(
          'This answer from Microsoft Entra ID was used already: connect again from the instance page'
        )
      const instance = await connectConsent(ctx, instanceId, grant.directoryId)
      await this.#consents.remember(grant.nonce, grant.expiresAtMs)
      return instance
    })
  }

  /** Disabling cancels the instance's active run; enabling a pull instance starts one now. */
  setInstanceEnabled(
    envelope: Envelope,
    instanceId: string,
    enabled: boolean
  ): Promise<Outcome<EnabledInstance>> {
    return this.#run(envelope, (ctx) => enableInstance(this.#sync, ctx, instanceId, enabled))
  }

  /** Deletes an instance, revokes its keys, cancels its run and forgets its sync links. */
  deleteInstance(envelope: Envelope, id: string): Promise<Outcome<{ keysRevoked: number }>> {
    return this.#run(envelope, (ctx) => removeInstance(this.#sync, ctx, id))
  }

  /** A key of the tenant (`instanceId` null) or of an instance; the token is answered once. */
  createKey(
    envelope: Envelope,
    instanceId: string | null,
    spec: KeySpecInput
  ): Promise<Outcome<IssuedKey>> {
    return this.#run(envelope, (ctx) => createKey(ctx, instanceId, spec))
  }

  /** Revokes a live key of the tenant, or of the instance when one is named. */
  revokeKey(envelope: Envelope, keyId: string, instanceId?: string): Promise<Outcome<KeyView>> {
    return this.#run(envelope, (ctx) => revokeKey(ctx, keyId, instanceId))
  }

  /** A new secret for a live key; the new token is answered once. */
  regenerateKey(
    envelope: Envelope,
    keyId: string,
    instanceId?: string
  ): Promise<Outcome<IssuedKey>> {
    return this.#run(envelope, (ctx) => regenerateKey(ctx, keyId, instanceId))
  }

  /** Starts a pull sync of an instance now (the admin API's "sync now"). */
  startSync(envelope: Envelope, instanceId: string): Promise<Outcome<SyncRun>> {
    return this.#run(envelope, async (ctx) => {
      const run = await this.#sync.start(ctx, instanceId, 'manual')
      ctx.wake.sync = true
      return run
    })
  }

  /** The cron's tick for one instance: starts its scheduled sync, or a retry, when it is due. */
  syncTick(
    envelope: Envelope,
    instanceId: string,
    nowMs: number
  ): Promise<Outcome<SyncRun | null>> {
    return this.#run(
      envelope,
      async (ctx) => {
        const instance = await getInstance(ctx.db, ctx.tenantId, instanceId)
        const trigger = instance && this.#sync.dueTrigger(instance, nowMs)
        if (!trigger) return null
        ctx.wake.sync = true
        return this.#sync.start(ctx, instanceId, trigger)
      },
      nowMs
    )
  }

  /** Reports of an instance's runs, newest first, and when its next run is due. */
  syncRuns(envelope: Envelope, instanceId: string, limit: number): Promise<Outcome<SyncRunsView>> {
    return this.#run(envelope, async (ctx) => {
      const instance = await getInstance(ctx.db, ctx.tenantId, instanceId)
      const next = instance && this.#sync.nextRunAtMs(instance)
      return {
        runs: this.#sync.runs(instanceId, limit),
        nextRunAt: next === undefined ? null : new Date(next).toISOString(),
      }
    })
  }

  /** Called by the cron with its scheduled time, so tests control the clock. */
  verifyDeletions(
    envelope: Envelope,
    nowMs: number,
    settings: VerifySettings
  ): Promise<Outcome<VerifyResult>> {
    return this.#run(envelope, (ctx) => verifyDeletions(ctx, settings, 500), nowMs)
  }

  /**
   * Starts the tenant's offboarding (or answers the progress of the one under way): its keys
   * are revoked before this returns; the alarm erases the rest.
   */
  startOffboarding(envelope: Envelope): Promise<Outcome<OffboardingProgress>> {
    return this.#run(
      envelope,
      async (ctx) => {
        const progress = await this.#offboarding.begin(ctx)
        await this.#arm(Date.now() + loadConfig(this.env).offboardStepDelayMs)
        return progress
      },
      undefined,
      'offboarding'
    )
  }

  /**
   * One step of each kind of background work: a purge step, then a step of the due sync run (or
   * the start of a failed run's retry). While the tenant is offboarded, only its erase steps.
   */
  override async alarm(): Promise<void> {
    const tenantId = await this.ctx.storage.get<string>('tenantId')
    if (tenantId === undefined) return
    if (await this.#offboarding.active()) return this.#offboardStep(tenantId)
    const purge = await this.#run({ tenantId, requestId: null, actor: SYSTEM_ACTOR }, (ctx) =>
      purgeStep(ctx, verifySettings(loadConfig(this.env)))
    )
    if (!purge.ok) throw new Error(`purge step failed: ${purge.detail}`)
    if (purge.value) await this.#arm(Date.now() + STEP_DELAY_MS)
    const next = this.#sync.nextRun(Date.now())
    if (next && 'retry' in next) {
      const { retry } = next
      const started = await this.#run(
        { tenantId, requestId: retry.id, actor: SYSTEM_ACTOR },
        (ctx) => this.#sync.startRetry(ctx, retry)
      )
      if (!started.ok) throw new Error(`sync retry failed to start: ${started.detail}`)
    } else if (next && 'run' in next) {
      const { run } = next
      const envelope = {
        tenantId,
        requestId: run.id,
        actor: { kind: 'sync' as const, instanceId: run.instanceId, keyId: null },
      }
      const step = await this.#run(envelope, (ctx) => this.#sync.step(ctx, run))
      if (!step.ok) throw new Error(`sync step failed: ${step.detail}`)
    }
    const after = this.#sync.nextRun(Date.now())
    if (after) await this.#arm('atMs' in after ? after.atMs : Date.now())
  }

  /** One erase step; after the last, the object's own storage is emptied. */
  async #offboardStep(tenantId: string): Promise<void> {
    const config = loadConfig(this.env)
    const step = await this.#run(
      { tenantId, requestId: null, actor: SYSTEM_ACTOR },
      (ctx) => this.#offboarding.step(ctx, config.offboardRowsPerStep),
      undefined,
      'offboarding'
    )
    // A 404 is a tenant row removed by a step whose end was lost: only this storage is left.
    if (!step.ok && step.status !== 404) throw new Error(`offboarding step failed: ${step.detail}`)
    if (step.ok && !step.value.done) return this.#arm(Date.now() + config.offboardStepDelayMs)
    this.#settings = undefined
    this.#hasAgents = undefined
    await this.#offboarding.finish(tenantId, step.ok ? step.value.progress : null)
  }

  /** Sets the alarm to `atMs` unless one is already set earlier. */
  async #arm(atMs: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > atMs) await this.ctx.storage.setAlarm(atMs)
  }

  async #context(envelope: Envelope, nowMs: number, creating: boolean): Promise<WriteContext> {
    const region = regionOfTenant(envelope.tenantId)
    if (!region) throw new ScimError(404, 'Unknown tenant')
    const db = regionDb(this.env, region)
    if (!this.#settings && !creating) {
      const tenant = await getTenant(db, envelope.tenantId)
      if (!tenant) throw new ScimError(404, 'Unknown tenant')
      this.#settings = { roleMode: tenant.roleMode, defaultRoleId: tenant.defaultRoleId }
      await this.ctx.storage.put('tenantId', envelope.tenantId)
    }
    return {
      db,
      d1: regionD1(this.env, region),
      tenantId: envelope.tenantId,
      now: new Date(nowMs).toISOString(),
      newId: () => this.#ids(nowMs),
      actor: envelope.actor,
      requestId: envelope.requestId,
      settings: this.#settings ?? NEW_TENANT,
      hasAgents: (this.#hasAgents ??= await tenantHasAgents(db, envelope.tenantId)),
      meter: { rowsWritten: 0 },
      wake: { purge: false, sync: false },
      known: this.#known,
    }
  }

  /**
   * Runs one unit of work in the queue; errors become data; requested background work is armed.
   * `creating`: the work creates the tenant, so there is no tenant row to read yet. While the
   * tenant is offboarded, only the offboarding's own work runs.
   */
  async #run<T>(
    envelope: Envelope,
    work: (ctx: WriteContext) => Promise<T>,
    nowMs?: number,
    kind: 'work' | 'creating' | 'offboarding' = 'work'
  ): Promise<Outcome<T>> {
    const refused = envelope.key && (await this.#admit(envelope, envelope.key))
    if (refused) return refused
    return this.#groups.solo(envelope.requestId, () => this.#attempt(envelope, work, nowMs, kind))
  }

  /**
   * Runs a SCIM resource write in the queue; it may commit in one batch with the writes queued
   * with it (./write-groups.ts), and prepares from what the object remembers
   * (../domain/known-state.ts), so it usually reads nothing from D1.
   */
  async #write<T>(
    envelope: Envelope,
    needs: WriteNeeds,
    work: (ctx: WriteContext) => Promise<T>
  ): Promise<Outcome<T>> {
    const refused = envelope.key && (await this.#admit(envelope, envelope.key))
    if (refused) return refused
    return this.#groups.write({
      requestId: envelope.requestId,
      needs,
      warm: async (all) => {
        if (await this.#offboarding.active()) return
        await warm(await this.#context(envelope, Date.now(), false), all)
      },
      prepare: (first) => this.#prepare(envelope, work, first),
      alone: () => this.#attempt(envelope, work, undefined, 'work'),
    })
  }

  /**
   * Judges the key of a write the Worker routed here without reading it (./key-gate.ts), before
   * the write is queued (every unit of work with a key claim in its envelope passes here); its
   * refusal, if any.
   */
  async #admit(envelope: Envelope, claim: KeyClaim): Promise<Failure | undefined> {
    const region = regionOfTenant(envelope.tenantId)
    try {
      if (!region) throw new ScimError(404, 'Unknown tenant')
      await this.#keys.admit(claim, {
        db: regionDb(this.env, region),
        tenantId: envelope.tenantId,
        limit: this.env.KEY_RATE_LIMIT,
        waitUntil: (p) => {
          this.ctx.waitUntil(p)
        },
      })
      return undefined
    } catch (error) {
      return failure(error, envelope)
    }
  }

  /** Prepares a write with its commit staged; behind pending writes, D1 is out of reach. */
  async #prepare<T>(
    envelope: Envelope,
    work: (ctx: WriteContext) => Promise<T>,
    first: boolean
  ): Promise<Prepared<T> | typeof NEEDS_READ> {
    try {
      if (await this.#offboarding.active()) throw this.#offboarding.refusal(envelope.tenantId)
      const base = await this.#context(envelope, Date.now(), false)
      const staged: StagedCommit = { statements: [], historyJson: [] }
      const ctx: WriteContext = { ...base, ...(first ? {} : guarded(base.d1)), staged }
      const value = await work(ctx)
      return {
        outcome: { ok: true, value },
        batch: { d1: base.d1, ...staged },
        wakes: ctx.wake.purge || ctx.wake.sync,
      }
    } catch (error) {
      if (isRefusedRead(error)) return NEEDS_READ
      return { outcome: failure(error, envelope), wakes: false }
    }
  }

  async #attempt<T>(
    envelope: Envelope,
    work: (ctx: WriteContext) => Promise<T>,
    nowMs: number | undefined,
    kind: 'work' | 'creating' | 'offboarding'
  ): Promise<Outcome<T>> {
    try {
      if (kind !== 'offboarding' && (await this.#offboarding.active()))
        throw this.#offboarding.refusal(envelope.tenantId)
      const ctx = await this.#context(envelope, nowMs ?? Date.now(), kind === 'creating')
      const value = await work(ctx)
      if (ctx.wake.purge || ctx.wake.sync) await this.#arm(Date.now())
      return { ok: true as const, value }
    } catch (error) {
      return failure(error, envelope)
    }
  }

  /**
   * Runs database work done on behalf of these requests. The object only runs it; a measuring
   * subclass (the bench's entry) overrides it to count D1 round trips per request.
   */
  protected attribute<T>(
    _requestIds: readonly (string | null)[],
    work: () => Promise<T>
  ): Promise<T> {
    return work()
  }
}

function failure(error: unknown, envelope: Envelope): Failure {
  if (error instanceof ScimError) {
    return {
      ok: false,
      status: error.status,
      detail: error.message,
      ...(error.scimType ? { scimType: error.scimType } : {}),
      ...(Object.keys(error.headers).length > 0 ? { headers: error.headers } : {}),
    }
  }
  logError(error, { requestId: envelope.requestId, tenantId: envelope.tenantId })
  return {
    ok: false,
    status: 500,
    detail: `Internal error (request ${envelope.requestId ?? 'none'})`,
  }
}
