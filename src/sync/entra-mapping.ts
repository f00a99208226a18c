/**
 * @module Entra ID objects as the product sees them (pure). A Graph user becomes the SCIM user
 * body the pull sync writes: externalId from the object id (RFC 7643 §3.1: the provisioning
 * client's identifier), userName from userPrincipalName, the work email from mail, the
 * enterprise employeeNumber from employeeId, and the UPNs the agent may report under (for a B2B
 * guest both the `#EXT#` UPN and the home-tenant address, as Entra's own provisioning strips it).
 * A Graph group is classified: only security groups (static or dynamic) are supported.
 */
import { ACTIVTRAK_USER_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../scim/constants'
import type { GraphGroup, GraphUser } from '../graph/schemas'

/** `alias_theirdomain.com#EXT#@yourtenant.onmicrosoft.com` → `alias@theirdomain.com`. */
export function guestHomeAddress(upn: string): string | undefined {
  const m = /^(.+)_([^_#@]+\.[^_#@]+)#EXT#@/i.exec(upn)
  return m?.[1] && m[2] ? `${m[1]}@${m[2]}` : undefined
}

export type GroupKind = 'security' | 'm365' | 'distribution'

export function classifyGroup(g: GraphGroup): GroupKind {
  if (g.groupTypes.some((t) => t.toLowerCase() === 'unified')) return 'm365'
  return g.securityEnabled === false ? 'distribution' : 'security'
}

export const UNSUPPORTED_REASON: Record<Exclude<GroupKind, 'security'>, string> = {
  m365: 'Microsoft 365 groups are not supported (they cannot nest); use a security group',
  distribution: 'distribution groups are not supported; use a security group',
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether a product resource's externalId names an Entra object other than `entraId`: Entra
 * object ids are GUIDs (the sync writes them, and Entra's own SCIM provisioning can map objectId
 * to externalId), so such a resource belongs to that other object and must not be adopted by name.
 */
export function namesOtherObject(externalId: unknown, entraId: string): boolean {
  return (
    typeof externalId === 'string' &&
    OBJECT_ID.test(externalId) &&
    externalId.toLowerCase() !== entraId.toLowerCase()
  )
}

/** The SCIM body of a Graph user: identifiers, account state and display names. */
export function scimUserFromGraph(u: GraphUser): Record<string, unknown> {
  const upn = u.userPrincipalName ?? u.id
  const home = guestHomeAddress(upn)
  const body: Record<string, unknown> = {
    schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ACTIVTRAK_USER_SCHEMA],
    externalId: u.id,
    userName: upn,
    active: u.accountEnabled !== false,
    [ACTIVTRAK_USER_SCHEMA]: {
      userPrincipalNames: [upn, ...(home ? [home] : [])].map((value) => ({ value })),
    },
  }
  if (u.mail) body.emails = [{ value: u.mail, type: 'work', primary: true }]
  if (u.employeeId) body[ENTERPRISE_USER_SCHEMA] = { employeeNumber: u.employeeId }
  if (u.userType) body.userType = u.userType
  if (u.displayName) body.displayName = u.displayName
  const name = {
    ...(u.givenName ? { givenName: u.givenName } : {}),
    ...(u.surname ? { familyName: u.surname } : {}),
  }
  if (Object.keys(name).length) body.name = name
  return body
}
