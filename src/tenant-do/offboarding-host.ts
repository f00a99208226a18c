/**
 * @module A tenant's offboarding inside its Durable Object. The object remembers in its own
 * storage that it is offboarding, so from the first step on it refuses every other unit of
 * work (writes, syncs, deletion verification) and its alarm runs only erase steps. When the
 * tenant row is gone, the object empties its own storage and its alarm and logs the outcome:
 * nothing of the tenant is left in the region.
 */
import {
  beginOffboarding,
  offboardingStep,
  type OffboardingProgress,
  type OffboardingStep,
} from '../domain/offboarding'
import type { WriteContext } from '../domain/write-context'
import { logEvent } from '../lib/log'
import { ScimError } from '../scim/errors'

const MARKER = 'offboarding'

export class OffboardingHost {
  readonly #storage: DurableObjectStorage
  #active: boolean | undefined

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage
  }

  /** Whether the tenant is being offboarded (read once from storage, then kept). */
  async active(): Promise<boolean> {
    this.#active ??= (await this.#storage.get<boolean>(MARKER)) === true
    return this.#active
  }

  /** What any other unit of work answers meanwhile. */
  refusal(tenantId: string): ScimError {
    return new ScimError(
      409,
      `Tenant "${tenantId}" is being offboarded: its data is being erased and it accepts no changes`
    )
  }

  /** The first step; the marker is stored only once the keys are revoked in D1. */
  async begin(ctx: WriteContext): Promise<OffboardingProgress> {
    const progress = await beginOffboarding(ctx)
    await this.#storage.put(MARKER, true)
    this.#active = true
    return progress
  }

  step(ctx: WriteContext, rowsPerStep: number): Promise<OffboardingStep> {
    return offboardingStep(ctx, rowsPerStep)
  }

  /** Empties the object's own storage (sync state, checkpoints, the alarm) and says so. */
  async finish(tenantId: string, last: OffboardingProgress | null): Promise<void> {
    await this.#storage.deleteAlarm()
    await this.#storage.deleteAll()
    this.#active = undefined
    logEvent('info', {
      event: 'tenant.offboarded',
      tenantId,
      requestId: last?.requestId ?? null,
      requestedAt: last?.requestedAt ?? null,
      finishedAt: new Date().toISOString(),
      steps: last ? last.steps + 1 : null,
      erased: last?.erased ?? null,
    })
  }
}
