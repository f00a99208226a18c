/**
 * @module The only way the rest of the Worker reaches a tenant's Durable Object. EU tenants'
 * objects live in the `eu` jurisdiction so their writes never leave the EU.
 */
import type { StoredResource } from '../model/resource'
import { regionOfTenant } from '../model/tenant'
import type { Env } from '../env'
import { loadConfig } from '../config'
import { ScimError } from '../scim/errors'
import { fromRow } from '../storage/repos/documents'
import type { Envelope, Outcome, WriteCommand } from './commands'

export function tenantWriter(env: Env, tenantId: string) {
  const region = regionOfTenant(tenantId)
  if (!region) throw new ScimError(404, 'Unknown tenant')
  const namespace =
    region === 'eu' && loadConfig(env).jurisdictions
      ? env.TENANT_WRITER.jurisdiction('eu')
      : env.TENANT_WRITER
  return namespace.getByName(tenantId)
}

/** The value of an outcome, or its error thrown as a ScimError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  throw new ScimError(outcome.status, outcome.detail, outcome.scimType)
}

export async function writeThroughTenant(
  env: Env,
  envelope: Envelope,
  command: WriteCommand
): Promise<StoredResource | null> {
  const row = unwrap(await tenantWriter(env, envelope.tenantId).write({ ...envelope, command }))
  return row ? fromRow(row) : null
}
