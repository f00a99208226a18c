/**
 * @module Integration instances: an Entra ID or Okta SCIM connection (it owns SCIM keys) or the
 * Entra ID pull sync (it owns Graph credentials, the client secret sealed at rest). What the
 * admin API shows of an instance never includes a secret.
 */
import type { InstanceRow } from '../storage/repos/instances'

export const INSTANCE_KINDS = ['entra-scim', 'okta-scim', 'entra-pull'] as const
export type InstanceKind = (typeof INSTANCE_KINDS)[number]

export const isScimKind = (kind: InstanceKind): boolean => kind !== 'entra-pull'

/** The pull sync's settings (issue: Entra pull sync). The client secret is stored apart, sealed. */
export interface PullSettings {
  /** The Entra directory (tenant) id or a verified domain. */
  directoryId: string
  clientId: string
  /** displayName of the groups parent group; its direct child groups become product groups. */
  groupsParent: string
  /** displayName of the Do Not Track parent group, if any. */
  dntParent: string | null
  /** displayName of the Delete parent group, if any. */
  deleteParent: string | null
  intervalHours: number
  /** Whether display names and identifiers are updated from Entra (opt-in). */
  syncAttributes: boolean
}

export function parsePullSettings(row: InstanceRow): PullSettings | undefined {
  if (row.kind !== 'entra-pull') return undefined
  return JSON.parse(row.settings) as PullSettings
}

/** The additional data a sealed secret is bound to. */
export const secretOwner = (row: Pick<InstanceRow, 'tenantId' | 'id'>): string =>
  `${row.tenantId}/${row.id}`

export function instanceView(row: InstanceRow) {
  const settings = parsePullSettings(row)
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(settings
      ? { settings: { ...settings, clientSecretSet: row.secretCiphertext !== null } }
      : {}),
  }
}
