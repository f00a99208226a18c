/**
 * @module What a write needs from its surroundings: the tenant's database, the time, an id
 * source, who is writing (for the history) and the tenant's role settings. Services only run
 * inside the tenant's Durable Object, one at a time.
 */
import type { RoleMode } from '../directory/effective-role'
import { ScimError } from '../scim/errors'
import type { Db, Statement } from '../storage/db'
import { etagMatches, type StoredResource } from '../model/resource'
import type { KnownState } from './known-state'

type ActorKind = 'scim' | 'operator' | 'admin' | 'agent' | 'sync' | 'system'

/** Who makes a change: recorded with every history entry. */
export interface Actor {
  kind: ActorKind
  instanceId: string | null
  keyId: string | null
  /** The console admin who acted (`admin` only). */
  adminId?: string | null
  /** The admin's email at the time, so the history stays readable after they leave. */
  name?: string | null
}

/** Background work of the service itself (cron, purge, scheduled syncs): no key, no person. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', instanceId: null, keyId: null }

/** The operator calling the admin API with the operator token. */
export const OPERATOR_ACTOR: Actor = { kind: 'operator', instanceId: null, keyId: null }

/** A client calling with a key (a SCIM or agent key, of an instance or of the tenant). */
export const keyActor = (
  kind: 'scim' | 'agent',
  key: { instanceId: string | null; keyId: string }
): Actor => ({ kind, instanceId: key.instanceId, keyId: key.keyId })

/** A console admin, recorded with their id and email so the history names them. */
export const adminActor = (admin: { id: string; email: string }): Actor => ({
  kind: 'admin',
  instanceId: null,
  keyId: null,
  adminId: admin.id,
  name: admin.email,
})

export interface TenantSettings {
  roleMode: RoleMode
  defaultRoleId: string | null
}

export interface WriteContext {
  db: Db
  d1: D1Database
  tenantId: string
  /** ISO timestamp of this write. */
  now: string
  /** Time-ordered ids (UUIDv7), strictly increasing within the tenant's object. */
  newId: () => string
  actor: Actor
  requestId: string | null
  settings: TenantSettings
  /**
   * Whether the tenant has any agent. Only the tenant's object writes agents, so it knows; a
   * tenant that only provisions through SCIM skips every agent lookup.
   */
  hasAgents: boolean
  /** Rows written to D1 by this unit of work (reported by the sync and the benchmark). */
  meter: { rowsWritten: number }
  /** Background work a write asks the tenant's object to run on its alarm. */
  wake: { purge: boolean; sync: boolean }
  /** The users and groups the object remembers (./known-state.ts). */
  known: KnownState
  /**
   * Set when the object commits this write in one batch with the writes queued with it:
   * `commit` appends its statements and history rows here instead of running them.
   */
  staged?: StagedCommit
}

/**
 * A write's commit, staged for the batch its group shares. Its history rows (`historyJson`) are
 * kept apart: a group's rows go into the batch as one insert after every write's statements
 * (history is only appended to, and nothing in a batch reads it), so a group of member PATCHes
 * costs D1 one history statement, not one per write.
 */
export interface StagedCommit {
  statements: Statement[]
  historyJson: string[]
}

/** RFC 7644 §3.14: a write with If-Match that no longer names the current version fails with 412. */
export function checkIfMatch(ifMatch: string | undefined, current: StoredResource): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, current.version)) {
    throw new ScimError(412, 'The resource has changed since the version named in If-Match')
  }
}

/** A new resource's first stored state, with a fresh id. */
export const firstVersion = (ctx: WriteContext, doc: StoredResource['doc']): StoredResource => ({
  id: ctx.newId(),
  doc,
  version: 1,
  createdAt: ctx.now,
  updatedAt: ctx.now,
})

/** The next stored state of a resource whose document changed. */
export const nextVersion = <R extends StoredResource>(
  ctx: WriteContext,
  current: R,
  doc: StoredResource['doc']
): R => ({
  ...current,
  doc,
  version: current.version + 1,
  updatedAt: ctx.now,
})
