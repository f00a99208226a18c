/**
 * @module The only way the rest of the Worker reaches a tenant's Durable Object. EU tenants'
 * objects live in the `eu` jurisdiction so their writes never leave the EU.
 */
import type { StoredResource } from '../domain/resource'
import { regionOfTenant } from '../domain/tenant'
import type { Env } from '../env'
import { loadConfig } from '../config'
import { ScimError } from '../scim/errors'
import { fromRow } from '../storage/repos/documents'
import type { WriteCommand, WriteOutcome } from './commands'

export async function writeThroughTenant(
  env: Env,
  tenantId: string,
  requestId: string,
  command: WriteCommand
): Promise<StoredResource | null> {
  const region = regionOfTenant(tenantId)
  if (!region) throw new ScimError(404, 'Unknown tenant')
  const namespace =
    region === 'eu' && loadConfig(env).jurisdictions ? env.TENANT_WRITER.jurisdiction('eu') : env.TENANT_WRITER
  const outcome: WriteOutcome = await namespace.getByName(tenantId).write({ tenantId, requestId, command })
  if (outcome.ok) return outcome.resource ? fromRow(outcome.resource) : null
  throw new ScimError(outcome.status, outcome.detail, outcome.scimType)
}
