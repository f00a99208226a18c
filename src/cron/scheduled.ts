/**
 * @module The Cron Trigger: every tick, in both regions, starts the pull syncs that are due, or
 * the retries of failed ones (each tenant's Durable Object decides and runs them on its alarm),
 * verifies the pending deletions whose purge is done or whose deadline has come (through each
 * tenant's Durable Object) and prunes history past its retention. Time is the controller's
 * scheduled time, so tests drive it. Each job is bounded and one tenant's failure does not stop
 * the others.
 */
import { loadConfig, verifySettings } from '../config'
import { SESSION_IDLE_MS } from '../domain/admins'
import { SYSTEM_ACTOR } from '../domain/write-context'
import { REGIONS, type Region } from '../model/tenant'
import type { Env } from '../env'
import { uuidV7 } from '../lib/ids'
import { logError, logEvent } from '../lib/log'
import { regionDb } from '../storage/db'
import { sweepExpired } from '../storage/repos/admins'
import { tenantsWithDeletionsToVerify } from '../storage/repos/deletions'
import { enabledInstancesOfKind } from '../storage/repos/instances'
import { pruneHistory } from '../storage/repos/history'
import { listTenants } from '../storage/repos/tenants'
import { tenantWriter } from '../tenant-do/client'

/** History rows deleted per statement and per tenant per tick. */
const PRUNE_BATCH = 5000
const PRUNE_MAX_PER_TENANT = 50_000

export interface TickReport {
  region: Region
  job: 'sync' | 'verify-deletions' | 'prune-history' | 'sweep-sessions'
  tenantId: string
  result: unknown
}

async function verifyRegion(env: Env, region: Region, nowMs: number): Promise<TickReport[]> {
  const settings = verifySettings(loadConfig(env))
  const tenants = await tenantsWithDeletionsToVerify(
    regionDb(env, region),
    new Date(nowMs - settings.deadlineMs).toISOString()
  )
  return Promise.all(
    tenants.map(async (tenantId) => {
      const outcome = await tenantWriter(env, tenantId).verifyDeletions(
        { tenantId, requestId: null, actor: SYSTEM_ACTOR },
        nowMs,
        settings
      )
      return {
        region,
        job: 'verify-deletions' as const,
        tenantId,
        result: outcome.ok ? outcome.value : outcome.detail,
      }
    })
  )
}

/** Smallest UUIDv7 of a millisecond: every id below it is older. */
const idAt = (ms: number): string => uuidV7(ms, (n) => new Uint8Array(n))

async function pruneRegion(env: Env, region: Region, nowMs: number): Promise<TickReport[]> {
  const db = regionDb(env, region)
  const cutoff = idAt(nowMs - loadConfig(env).historyRetentionDays * 86_400_000)
  const reports: TickReport[] = []
  for (const tenant of await listTenants(db)) {
    let removed = 0
    for (let n = PRUNE_BATCH; n === PRUNE_BATCH && removed < PRUNE_MAX_PER_TENANT; removed += n) {
      n = await pruneHistory(db, tenant.id, cutoff, PRUNE_BATCH)
    }
    if (removed > 0)
      reports.push({ region, job: 'prune-history', tenantId: tenant.id, result: { removed } })
  }
  return reports
}

/** Forgets the region's ended console sessions and expired invitations. */
async function sweepRegion(env: Env, region: Region, nowMs: number): Promise<TickReport[]> {
  const removed = await sweepExpired(
    regionDb(env, region),
    new Date(nowMs).toISOString(),
    new Date(nowMs - SESSION_IDLE_MS).toISOString()
  )
  return removed > 0 ? [{ region, job: 'sweep-sessions', tenantId: '*', result: { removed } }] : []
}

/** Hands every enabled pull instance to its tenant's object, which starts the sync if it is due. */
async function syncRegion(env: Env, region: Region, nowMs: number): Promise<TickReport[]> {
  const instances = await enabledInstancesOfKind(regionDb(env, region), 'entra-pull')
  const reports = await Promise.all(
    instances.map(async (i) => {
      const outcome = await tenantWriter(env, i.tenantId).syncTick(
        { tenantId: i.tenantId, requestId: null, actor: SYSTEM_ACTOR },
        i.id,
        nowMs
      )
      return {
        region,
        job: 'sync' as const,
        tenantId: i.tenantId,
        result: outcome.ok
          ? outcome.value
            ? { started: outcome.value.id }
            : null
          : outcome.detail,
      }
    })
  )
  return reports.filter((r) => r.result !== null)
}

export async function runScheduled(env: Env, scheduledTime: number): Promise<TickReport[]> {
  const jobs = REGIONS.flatMap((region) => [
    syncRegion(env, region, scheduledTime),
    verifyRegion(env, region, scheduledTime),
    pruneRegion(env, region, scheduledTime),
    sweepRegion(env, region, scheduledTime),
  ])
  const settled = await Promise.allSettled(jobs)
  const reports = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []))
  for (const s of settled) {
    if (s.status === 'rejected') logError(s.reason, { job: 'cron' })
  }
  logEvent('info', { job: 'cron', scheduledTime: new Date(scheduledTime).toISOString(), reports })
  return reports
}
