/**
 * @module Changes to integration instances: create (a SCIM kind with its first key), rename or
 * change a pull instance's settings, store the directory that granted a consent instance admin
 * consent, disable or enable, delete (its keys are revoked). Each runs inside the tenant's
 * Durable Object and commits with its history entry in one batch. The history lists the settings
 * that changed with before/after values; the client secret is sealed here and recorded only as
 * `set` or `changed`.
 */
import type { AttributeChange } from '../directory/changes'
import { randomToken } from '../lib/ids'
import { seal } from '../lib/sealed'
import { fold } from '../lib/text'
import { badRequest, notFound, ScimError } from '../scim/errors'
import {
  deleteInstanceStatement,
  getInstance,
  insertInstanceStatement,
  revokeInstanceKeysStatement,
  updateInstanceStatement,
  type InstanceRow,
} from '../storage/repos/instances'
import { listKeys } from '../storage/repos/tenants'
import { Changeset, commit } from './changeset'
import { parseInput } from './input'
import {
  consentDirectorySchema,
  instancePatchSchema,
  instanceSpecSchema,
  instanceView,
  mergePullSettings,
  parsePullSettings,
  pullSettingsChanges,
  secretOwner,
  type InstancePatchInput,
  type InstanceSpec,
  type InstanceSpecInput,
  type InstanceView,
  type PullSettings,
} from './instances'
import { addKey, recordRevoke, type IssuedKey } from './keys'
import type { WriteContext } from './write-context'

/** A new instance and, for a SCIM kind, its first key (the token shown this once). */
export interface CreatedInstance {
  instance: InstanceView
  key?: IssuedKey
}

/** Seals a pull instance's client secret under the SECRETS_KEY Worker secret, bound to it. */
async function sealSecret(
  secret: string,
  secretsKey: string | undefined,
  row: InstanceRow
): Promise<string> {
  if (!secretsKey)
    throw new ScimError(503, 'Pull sync instances need the SECRETS_KEY secret to be set')
  return seal(secret, secretsKey, secretOwner(row))
}

async function requireInstance(ctx: WriteContext, instanceId: string): Promise<InstanceRow> {
  const row = await getInstance(ctx.db, ctx.tenantId, instanceId)
  if (!row) throw notFound(`Instance "${instanceId}" not found`)
  return row
}

/** What a unique-name conflict names (instance names are unique per tenant, any case). */
const nameTaken = (name: string): string => `An instance named "${name}"`

/**
 * Fills a new pull instance's settings (and, for its own app registration, its sealed secret)
 * into `row`; answers the history's changes, the secret only as "set".
 */
async function setPullSettings(
  row: InstanceRow,
  spec: Extract<InstanceSpec, { kind: 'entra-pull' }>,
  secretsKey: string | undefined
): Promise<AttributeChange[]> {
  const settings = mergePullSettings(spec, undefined)
  row.settings = JSON.stringify(settings)
  if (spec.auth === 'consent')
    return [{ attr: 'auth', after: 'consent' }, ...pullSettingsChanges(undefined, settings)]
  row.secretCiphertext = await sealSecret(spec.clientSecret, secretsKey, row)
  return [...pullSettingsChanges(undefined, settings), { attr: 'clientSecret', after: 'set' }]
}

export async function createInstance(
  ctx: WriteContext,
  input: InstanceSpecInput,
  secretsKey: string | undefined
): Promise<CreatedInstance> {
  const spec = parseInput(instanceSpecSchema, input)
  const row: InstanceRow = {
    id: randomToken(12),
    tenantId: ctx.tenantId,
    name: spec.name,
    nameCi: fold(spec.name),
    kind: spec.kind,
    enabled: true,
    settings: '{}',
    secretCiphertext: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }
  const changes: AttributeChange[] = [
    { attr: 'name', after: row.name },
    { attr: 'kind', after: row.kind },
  ]
  if (spec.kind === 'entra-pull') changes.push(...(await setPullSettings(row, spec, secretsKey)))
  const cs = new Changeset().add(insertInstanceStatement(ctx.db, row))
  cs.record({ op: 'instance.create', resourceType: 'Instance', resourceId: row.id, changes })
  const key =
    spec.kind === 'entra-pull'
      ? undefined
      : await addKey(ctx, cs, row.id, { name: spec.keyName ?? spec.name, scope: 'scim' })
  await commit(ctx, cs, nameTaken(spec.name))
  return key ? { instance: instanceView(row), key } : { instance: instanceView(row) }
}

/** The next row for a patch and what it changes (empty when it changes nothing). */
async function applyPatch(
  current: InstanceRow,
  input: InstancePatchInput,
  secretsKey: string | undefined
): Promise<{ next: InstanceRow; changes: AttributeChange[] }> {
  const patch = parseInput(instancePatchSchema, input)
  const next: InstanceRow = { ...current }
  const changes: AttributeChange[] = []
  if (patch.name !== undefined && patch.name !== current.name) {
    Object.assign(next, { name: patch.name, nameCi: fold(patch.name) })
    changes.push({ attr: 'name', before: current.name, after: patch.name })
  }
  const before = parsePullSettings(current)
  if (!before) {
    if (Object.entries(patch).some(([k, v]) => k !== 'name' && v !== undefined))
      throw badRequest('invalidValue', `A ${current.kind} instance has only a name to change`)
    return { next, changes }
  }
  if (
    before.auth === 'consent' &&
    [patch.directoryId, patch.clientId, patch.clientSecret].some((v) => v !== undefined)
  )
    throw badRequest(
      'invalidValue',
      `"${current.name}" connects with admin consent: its directory is set by connecting to Microsoft Entra ID, and it has no client id or secret`
    )
  const after = mergePullSettings(patch, before)
  next.settings = JSON.stringify(after)
  changes.push(...pullSettingsChanges(before, after))
  if (patch.clientSecret !== undefined) {
    next.secretCiphertext = await sealSecret(patch.clientSecret, secretsKey, current)
    changes.push({ attr: 'clientSecret', after: 'changed' })
  }
  return { next, changes }
}

/** Renames an instance or changes a pull instance's settings; a no-op writes nothing. */
export async function updateInstance(
  ctx: WriteContext,
  instanceId: string,
  input: InstancePatchInput,
  secretsKey: string | undefined
): Promise<InstanceView> {
  const current = await requireInstance(ctx, instanceId)
  const { next, changes } = await applyPatch(current, input, secretsKey)
  if (changes.length === 0) return instanceView(current)
  next.updatedAt = ctx.now
  const { name, nameCi, settings, secretCiphertext, updatedAt } = next
  const cs = new Changeset().add(
    updateInstanceStatement(ctx.db, ctx.tenantId, current.id, {
      name,
      nameCi,
      settings,
      secretCiphertext,
      updatedAt,
    })
  )
  cs.record({ op: 'instance.update', resourceType: 'Instance', resourceId: current.id, changes })
  await commit(ctx, cs, nameTaken(next.name))
  return instanceView(next)
}

/** The consent instance a consent answer is for, with its settings; 400 for any other. */
async function requireConsentInstance(
  ctx: WriteContext,
  instanceId: string
): Promise<{ current: InstanceRow; before: PullSettings }> {
  const current = await requireInstance(ctx, instanceId)
  const before = parsePullSettings(current)
  if (before?.auth !== 'consent')
    throw badRequest(
      'invalidValue',
      `Instance "${current.name}" does not connect with admin consent to Microsoft Entra ID`
    )
  return { current, before }
}

/**
 * Stores the directory whose admin granted admin consent to the operator's application on a
 * consent instance: it is connected from now on (again, after a reconnect, to the same or
 * another directory). Recorded as `instance.consent` with the directory id.
 */
export async function connectConsent(
  ctx: WriteContext,
  instanceId: string,
  directoryId: string
): Promise<InstanceView> {
  const { current, before } = await requireConsentInstance(ctx, instanceId)
  const parsed = consentDirectorySchema.safeParse(directoryId)
  if (!parsed.success)
    throw badRequest(
      'invalidValue',
      `Microsoft Entra ID answered "${directoryId.slice(0, 100)}" as the consenting directory: it ${parsed.error.issues[0]?.message ?? 'is not a directory id'}`
    )
  const settings = JSON.stringify({ ...before, directoryId: parsed.data })
  const cs = new Changeset().add(
    updateInstanceStatement(ctx.db, ctx.tenantId, current.id, { settings, updatedAt: ctx.now })
  )
  const change =
    before.directoryId === null
      ? { attr: 'directoryId', after: parsed.data }
      : { attr: 'directoryId', before: before.directoryId, after: parsed.data }
  cs.record({
    op: 'instance.consent',
    resourceType: 'Instance',
    resourceId: current.id,
    changes: [change],
  })
  await commit(ctx, cs, 'instance')
  return instanceView({ ...current, settings, updatedAt: ctx.now })
}

/**
 * Disables (its keys answer 401, its syncs stop) or enables an instance. `changed` is false
 * when it already was in that state: nothing is written then.
 */
export async function setInstanceEnabled(
  ctx: WriteContext,
  instanceId: string,
  enabled: boolean
): Promise<{ instance: InstanceView; changed: boolean }> {
  const current = await requireInstance(ctx, instanceId)
  if (current.enabled === enabled) return { instance: instanceView(current), changed: false }
  const cs = new Changeset().add(
    updateInstanceStatement(ctx.db, ctx.tenantId, current.id, { enabled, updatedAt: ctx.now })
  )
  cs.record({
    op: enabled ? 'instance.enable' : 'instance.disable',
    resourceType: 'Instance',
    resourceId: current.id,
    changes: [{ attr: 'enabled', before: current.enabled, after: enabled }],
  })
  await commit(ctx, cs, 'instance')
  return { instance: instanceView({ ...current, enabled, updatedAt: ctx.now }), changed: true }
}

/** Deletes an instance and revokes its live keys, each revocation recorded. */
export async function deleteInstance(
  ctx: WriteContext,
  instanceId: string
): Promise<{ keysRevoked: number }> {
  const current = await requireInstance(ctx, instanceId)
  const live = (await listKeys(ctx.db, ctx.tenantId, current.id)).filter((k) => !k.revokedAt)
  const cs = new Changeset().add(
    revokeInstanceKeysStatement(ctx.db, ctx.tenantId, current.id, ctx.now),
    deleteInstanceStatement(ctx.db, ctx.tenantId, current.id)
  )
  cs.record({
    op: 'instance.delete',
    resourceType: 'Instance',
    resourceId: current.id,
    changes: [
      { attr: 'name', before: current.name },
      { attr: 'kind', before: current.kind },
      { attr: 'keys', countBefore: live.length, countAfter: 0 },
    ],
  })
  for (const key of live) recordRevoke(cs, key, ctx.now)
  await commit(ctx, cs, 'instance')
  return { keysRevoked: live.length }
}
