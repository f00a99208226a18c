/**
 * @module The public origin of the service for a region, as admins and identity providers must
 * see it (PUBLIC_URL_US / PUBLIC_URL_EU), falling back to the origin the request came in on.
 */
import type { Region } from '../model/tenant'
import type { Env } from '../env'

export function publicOrigin(env: Env, region: Region, requestUrl: string): string {
  const configured = region === 'eu' ? env.PUBLIC_URL_EU : env.PUBLIC_URL_US
  return (configured ?? new URL(requestUrl).origin).replace(/\/+$/, '')
}

/** The one-time link an invited admin opens to set a password. */
export const invitationUrl = (origin: string, tenantId: string, secret: string): string =>
  `${origin}/console/invite/${tenantId}.${secret}`

/** The SCIM base URL an admin pastes into Entra ID ("Tenant URL") or Okta ("SCIM connector base URL"). */
export const scimBaseUrl = (origin: string): string => `${origin}/scim/v2`
