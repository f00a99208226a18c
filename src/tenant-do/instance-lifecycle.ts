/**
 * @module What an instance's lifecycle means to its pull syncs inside the tenant's object.
 * Disabling or deleting an instance cancels its active run at once (rather than at the run's
 * next step); deleting it also forgets its links from Entra objects to product users and
 * groups; enabling a pull instance starts a run at once, as "sync now" does (unless it still
 * waits for admin consent: it has nothing to sync yet). The D1 write of the change commits
 * first: should the object stop in between, the run still ends at its next step (its instance
 * is disabled or gone) and the links left behind name an instance id that is never reused.
 */
import { deleteInstance, setInstanceEnabled } from '../domain/instance-admin'
import { awaitsConsent, type InstanceView } from '../domain/instances'
import type { WriteContext } from '../domain/write-context'
import type { SyncRun } from '../sync/report'
import type { SyncHost } from './sync-host'

/** An instance after enable or disable, with the run enabling a pull instance started. */
export interface EnabledInstance {
  instance: InstanceView
  run?: SyncRun
}

const activeRunOf = (sync: SyncHost, instanceId: string): SyncRun | undefined =>
  sync.activeRuns().find((r) => r.instanceId === instanceId)

/**
 * The run of a pull instance that was just enabled: a new one (or the one waiting out
 * throttling, resumed), or the one still running if any, so enabling never fails on it.
 */
async function syncOnEnable(sync: SyncHost, ctx: WriteContext, instanceId: string) {
  ctx.wake.sync = true
  const running = activeRunOf(sync, instanceId)
  if (running && running.nextAttemptAt === null) return running
  return sync.start(ctx, instanceId, 'manual')
}

/** Disables (its active run cancelled) or enables (a pull instance's run started) an instance. */
export async function enableInstance(
  sync: SyncHost,
  ctx: WriteContext,
  instanceId: string,
  enabled: boolean
): Promise<EnabledInstance> {
  const { instance, changed } = await setInstanceEnabled(ctx, instanceId, enabled)
  if (changed && !enabled) sync.cancel(instanceId, ctx.now)
  if (!changed || !enabled || instance.kind !== 'entra-pull') return { instance }
  if (instance.settings && awaitsConsent(instance.settings)) return { instance }
  return { instance, run: await syncOnEnable(sync, ctx, instanceId) }
}

/** Deletes an instance (its keys revoked), cancels its run and forgets its links. */
export async function removeInstance(
  sync: SyncHost,
  ctx: WriteContext,
  instanceId: string
): Promise<{ keysRevoked: number }> {
  const result = await deleteInstance(ctx, instanceId)
  sync.cancel(instanceId, ctx.now)
  sync.forgetInstance(instanceId)
  return result
}
