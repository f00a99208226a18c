/**
 * @module The only way the rest of the Worker reaches a tenant's Durable Object: its stub, whose
 * typed methods answer an `Outcome`, and `unwrap`. EU tenants' objects live in the `eu`
 * jurisdiction so their writes never leave the EU.
 */
import { regionOfTenant } from '../model/tenant'
import type { Env } from '../env'
import { loadConfig } from '../config'
import { ScimError } from '../scim/errors'
import type { Outcome } from './commands'

/** The stub of a tenant's object (404 for an id that names no region). */
export function tenantWriter(env: Env, tenantId: string) {
  const region = regionOfTenant(tenantId)
  if (!region) throw new ScimError(404, 'Unknown tenant')
  const namespace =
    region === 'eu' && loadConfig(env).jurisdictions
      ? env.TENANT_WRITER.jurisdiction('eu')
      : env.TENANT_WRITER
  return namespace.getByName(tenantId)
}

/** A tenant object's stub, as `tenantWriter` returns it. */
export type TenantWriterStub = ReturnType<typeof tenantWriter>

/** The value of an outcome, or its error thrown as a ScimError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  throw new ScimError(outcome.status, outcome.detail, outcome.scimType, outcome.headers)
}
