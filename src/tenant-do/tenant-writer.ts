/**
 * @module The write path: one Durable Object per tenant runs every write of that tenant through
 * a serial queue, so concurrent requests can neither lose an update nor both pass a uniqueness
 * check. See ./README.md for the invariant.
 */
import { DurableObject } from 'cloudflare:workers'
import { regionOfTenant } from '../domain/tenant'
import type { WriteContext } from '../domain/write-context'
import type { Env } from '../env'
import { uuidV7 } from '../lib/ids'
import { SerialQueue } from '../lib/serial-queue'
import { ScimError } from '../scim/errors'
import { regionDb } from '../storage/db'
import { toRow } from '../storage/repos/documents'
import type { WriteOutcome, WriteRequest } from './commands'
import { dispatch } from './dispatch'

export class TenantWriter extends DurableObject<Env> {
  private readonly queue = new SerialQueue()

  /** Applies one write; the outcome carries the stored resource or a SCIM error. */
  async write(request: WriteRequest): Promise<WriteOutcome> {
    return this.queue.run(() => this.execute(request))
  }

  private async execute(request: WriteRequest): Promise<WriteOutcome> {
    const region = regionOfTenant(request.tenantId)
    if (!region) return { ok: false, status: 404, detail: 'Unknown tenant' }
    const now = Date.now()
    const ctx: WriteContext = {
      db: regionDb(this.env, region),
      tenantId: request.tenantId,
      now: new Date(now).toISOString(),
      newId: () => uuidV7(now),
    }
    try {
      const resource = await dispatch(ctx, request.command)
      return { ok: true, resource: resource ? toRow(resource) : null }
    } catch (error) {
      if (error instanceof ScimError) {
        return { ok: false, status: error.status, detail: error.message, ...(error.scimType ? { scimType: error.scimType } : {}) }
      }
      console.error(JSON.stringify({ level: 'error', requestId: request.requestId, tenantId: request.tenantId, error: String(error) }))
      return { ok: false, status: 500, detail: `Internal error (request ${request.requestId})` }
    }
  }
}
