/**
 * @module Integration instances: an Entra ID or Okta SCIM connection (it owns SCIM keys) or the
 * Entra ID pull sync. A pull instance reads Graph either with an app registration of the
 * customer's own (`auth: 'app'`, the client secret sealed at rest) or with the operator's one
 * multi-tenant application, which an admin of the customer's directory granted admin consent to
 * (`auth: 'consent'`: no secret of the customer's, the directory id stored once consent is given).
 * The rules of their settings (zod schemas shared by every caller), the settings' history diff,
 * and what an admin is shown of an instance, which never includes a secret.
 */
import { z } from 'zod'
import type { AttributeChange } from '../directory/changes'
import type { InstanceRow } from '../storage/repos/instances'

export const INSTANCE_KINDS = ['entra-scim', 'okta-scim', 'entra-pull'] as const
export type InstanceKind = (typeof INSTANCE_KINDS)[number]

export const isScimKind = (kind: InstanceKind): boolean => kind !== 'entra-pull'

/**
 * How a pull instance authenticates to Graph: `app` with the customer's own app registration
 * ("advanced"), `consent` with the operator's multi-tenant app ("Connect to Microsoft Entra ID").
 */
export type PullAuth = 'app' | 'consent'

/** The pull sync's settings. The client secret of an `app` instance is stored apart, sealed. */
export interface PullSettings {
  auth: PullAuth
  /**
   * The Entra directory (tenant) id or a verified domain; for `consent`, the id of the directory
   * whose admin consented, null until then.
   */
  directoryId: string | null
  /** The customer's application (client) id; null for `consent` (the operator's app is used). */
  clientId: string | null
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

const PULL_KEYS = [
  'directoryId',
  'clientId',
  'groupsParent',
  'dntParent',
  'deleteParent',
  'intervalHours',
  'syncAttributes',
] as const satisfies readonly (keyof PullSettings)[]

/** An instance's or a key's name, as admins type it. */
export const nameSchema = z.string().trim().min(1).max(200)

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const GUID_OR_DOMAIN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/i
/** Entra allows 256 characters in a group's displayName. */
const groupName = z.string().trim().min(1).max(256)

/** The own-app credentials: directory, application and its secret. */
const credentialFields = {
  /** The Entra tenant id (a GUID) or one of its verified domains; it goes into the token URL. */
  directoryId: z
    .string()
    .trim()
    .regex(
      GUID_OR_DOMAIN,
      'must be the directory (tenant) id, a GUID, or a verified domain such as contoso.com'
    ),
  /** The application (client) id of the app registration. */
  clientId: z.string().trim().regex(GUID, 'must be the application (client) id, a GUID'),
  clientSecret: z.string().min(1).max(1024),
}

/** What a consent instance must not be given: its directory comes from the consent itself. */
const noCredential = z
  .undefined({
    error:
      'is not set on a consent instance: the directory comes from connecting to Microsoft Entra ID',
  })
  .optional()

const groupFields = {
  groupsParent: groupName,
  dntParent: groupName.nullable().optional(),
  deleteParent: groupName.nullable().optional(),
  /** A week at most: a slower schedule would leave deletions unapplied for too long. */
  intervalHours: z.number().int().min(1).max(168).optional(),
  syncAttributes: z.boolean().optional(),
}

/**
 * A new instance: a SCIM kind (with the name of its first key), or a pull sync with its own app
 * registration (`auth` absent or `app`) or waiting for admin consent (`auth: 'consent'`).
 */
export const instanceSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    name: nameSchema,
    kind: z.enum(['entra-scim', 'okta-scim']),
    keyName: nameSchema.optional(),
  }),
  z.discriminatedUnion('auth', [
    z.object({
      name: nameSchema,
      kind: z.literal('entra-pull'),
      auth: z.literal('app').optional(),
      ...credentialFields,
      ...groupFields,
    }),
    z.object({
      name: nameSchema,
      kind: z.literal('entra-pull'),
      auth: z.literal('consent'),
      directoryId: noCredential,
      clientId: noCredential,
      clientSecret: noCredential,
      ...groupFields,
    }),
  ]),
])
export type InstanceSpecInput = z.input<typeof instanceSpecSchema>

/**
 * A change to an instance: its name, and for a pull instance any of its settings (the
 * credentials only for an own-app instance; the way it authenticates never changes).
 */
export const instancePatchSchema = z
  .object({ name: nameSchema, ...credentialFields, ...groupFields })
  .partial()
export type InstancePatch = z.output<typeof instancePatchSchema>
export type InstancePatchInput = z.input<typeof instancePatchSchema>

/** The ids a new instance of that mode starts with: none for consent until it is given. */
const noId = (auth: PullAuth): string | null => (auth === 'consent' ? null : '')

/**
 * The stored settings with a patch applied; a new instance starts from the defaults (`auth`
 * counts only then: an instance keeps the mode it was created with).
 */
export function mergePullSettings(
  f: InstancePatch & { auth?: PullAuth | undefined },
  base: PullSettings | undefined
): PullSettings {
  const auth = base?.auth ?? f.auth ?? 'app'
  return {
    auth,
    directoryId: f.directoryId ?? base?.directoryId ?? noId(auth),
    clientId: f.clientId ?? base?.clientId ?? noId(auth),
    groupsParent: f.groupsParent ?? base?.groupsParent ?? '',
    dntParent: f.dntParent === undefined ? (base?.dntParent ?? null) : f.dntParent,
    deleteParent: f.deleteParent === undefined ? (base?.deleteParent ?? null) : f.deleteParent,
    intervalHours: f.intervalHours ?? base?.intervalHours ?? 24,
    syncAttributes: f.syncAttributes ?? base?.syncAttributes ?? false,
  }
}

/** The settings that differ, with before/after (`before` omitted for a new instance). */
export function pullSettingsChanges(
  before: PullSettings | undefined,
  after: PullSettings
): AttributeChange[] {
  return PULL_KEYS.filter((k) => before?.[k] !== after[k]).map((attr) =>
    before ? { attr, before: before[attr], after: after[attr] } : { attr, after: after[attr] }
  )
}

/** A pull instance's stored settings; those stored before consent existed are own-app ones. */
export function parsePullSettings(row: InstanceRow): PullSettings | undefined {
  if (row.kind !== 'entra-pull') return undefined
  const stored = JSON.parse(row.settings) as Omit<PullSettings, 'auth'> & { auth?: PullAuth }
  return { ...stored, auth: stored.auth ?? 'app' }
}

/** A consent instance whose directory has not consented yet: it cannot sync. */
export const awaitsConsent = (settings: PullSettings): boolean =>
  settings.auth === 'consent' && settings.directoryId === null

/** What a directory id handed back by admin consent must be: Entra answers it as a GUID. */
export const consentDirectorySchema = z
  .string()
  .regex(GUID, 'must be a directory (tenant) id, a GUID')

/** The Worker settings that name the operator's multi-tenant application. */
export interface OperatorAppSettings {
  ENTRA_APP_CLIENT_ID?: string | undefined
  ENTRA_APP_CLIENT_SECRET?: string | undefined
}

/**
 * The operator's multi-tenant application that consent instances read Graph with, or the name
 * of the first setting it lacks (so a run's error says what the operator must set).
 */
export function operatorApp(
  env: OperatorAppSettings
): { clientId: string; clientSecret: string } | { missing: string } {
  const clientId = env.ENTRA_APP_CLIENT_ID?.trim() ?? ''
  const clientSecret = env.ENTRA_APP_CLIENT_SECRET ?? ''
  if (clientId === '') return { missing: 'ENTRA_APP_CLIENT_ID' }
  if (clientSecret === '') return { missing: 'ENTRA_APP_CLIENT_SECRET' }
  return { clientId, clientSecret }
}

/** The additional data a sealed secret is bound to. */
export const secretOwner = (row: Pick<InstanceRow, 'tenantId' | 'id'>): string =>
  `${row.tenantId}/${row.id}`

/** What admins are shown of an instance: never its secret, only whether one is set. */
export interface InstanceView {
  id: string
  name: string
  kind: InstanceKind
  enabled: boolean
  createdAt: string
  updatedAt: string
  settings?: PullSettings & { clientSecretSet: boolean }
}

export function instanceView(row: InstanceRow): InstanceView {
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
