/**
 * @module SCIM keys. A token reads `scim_<region>_<keyId>_<secret>`: the region picks the
 * database and the key id the row, so authentication is one primary-key read; only the
 * SHA-256 of the secret is stored and it is compared in constant time. Creating, regenerating
 * and revoking a key run inside the tenant's Durable Object: the token is made there and only
 * returned, never logged or recorded; the history names the key by name, prefix and instance.
 */
import { z } from 'zod'
import type { AttributeChange } from '../directory/changes'
import { base64Url, cryptoRandom, randomToken, type RandomBytes } from '../lib/ids'
import { sha256Hex } from '../lib/secrets'
import { badRequest, notFound } from '../scim/errors'
import type { Db } from '../storage/db'
import { getInstance, type InstanceRow } from '../storage/repos/instances'
import {
  getKey,
  insertKeyStatement,
  replaceKeySecretStatement,
  revokeKeyStatement,
  type KeyRow,
} from '../storage/repos/tenants'
import { Changeset, commit } from './changeset'
import { parseInput } from './input'
import { nameSchema } from './instances'
import { REGIONS, regionOfTenant, type Region } from '../model/tenant'
import type { WriteContext } from './write-context'

const TOKEN = /^scim_(us|eu)_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/

export interface ParsedToken {
  region: Region
  keyId: string
  secret: string
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = TOKEN.exec(token)
  const region = REGIONS.find((r) => r === m?.[1])
  if (!m || !region || m[2] === undefined || m[3] === undefined) return undefined
  return { region, keyId: m[2], secret: m[3] }
}

interface NewSecret {
  token: string
  /** What admins see to tell keys apart: the token up to and including the key id. */
  prefix: string
  secretHash: string
}

async function newSecret(
  region: Region,
  keyId: string,
  random: RandomBytes = cryptoRandom
): Promise<NewSecret> {
  const secret = base64Url(random(32))
  const prefix = `scim_${region}_${keyId}`
  return { token: `${prefix}_${secret}`, prefix, secretHash: await sha256Hex(secret) }
}

const newKeyId = (random: RandomBytes = cryptoRandom): string => randomToken(12, random)

/** A new key: `agent` keys call the agent API only; a key may carry its own rate limit. */
export const keySpecSchema = z.object({
  name: nameSchema,
  scope: z.enum(['scim', 'agent']).default('scim'),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
})
export type KeySpecInput = z.input<typeof keySpecSchema>

/** What admins are shown of a key: never the hash. */
export interface KeyView {
  id: string
  name: string
  prefix: string
  scope: KeyRow['scope']
  instanceId: string | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  rateLimitPerMinute: number | null
}

/** A key with its token, answered once by the call that makes the token. */
export type IssuedKey = KeyView & { token: string }

export const keyView = (k: KeyRow): KeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scope: k.scope,
  instanceId: k.instanceId,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
  rateLimitPerMinute: k.rateLimitPerMinute,
})

/**
 * Keys under an instance belong to a SCIM instance of this tenant: 404 for an unknown instance,
 * 400 for a pull instance (it authenticates to Graph, nobody authenticates to it).
 */
export async function requireKeyInstance(
  db: Db,
  tenantId: string,
  instanceId: string
): Promise<InstanceRow> {
  const instance = await getInstance(db, tenantId, instanceId)
  if (!instance) throw notFound(`Instance "${instanceId}" not found`)
  if (instance.kind === 'entra-pull')
    throw badRequest('invalidValue', 'An entra-pull instance has no keys')
  return instance
}

/** How the history names a key: never by its token or hash. */
const keyFacts = (k: KeyRow, side: 'before' | 'after'): AttributeChange[] =>
  (['name', 'prefix', 'instanceId'] as const).map((attr) =>
    side === 'before' ? { attr, before: k[attr] } : { attr, after: k[attr] }
  )

function regionOf(ctx: WriteContext): Region {
  const region = regionOfTenant(ctx.tenantId)
  if (!region) throw notFound(`Tenant "${ctx.tenantId}" not found`)
  return region
}

/** Issues a key into a changeset with its `key.create` entry; the token is only returned. */
export async function addKey(
  ctx: WriteContext,
  cs: Changeset,
  instanceId: string | null,
  spec: z.output<typeof keySpecSchema>
): Promise<IssuedKey> {
  const id = newKeyId()
  const secret = await newSecret(regionOf(ctx), id)
  const row: KeyRow = {
    id,
    tenantId: ctx.tenantId,
    instanceId,
    scope: spec.scope,
    name: spec.name,
    prefix: secret.prefix,
    secretHash: secret.secretHash,
    rateLimitPerMinute: spec.rateLimitPerMinute ?? null,
    createdAt: ctx.now,
    lastUsedAt: null,
    revokedAt: null,
  }
  cs.add(insertKeyStatement(ctx.db, row)).record({
    op: 'key.create',
    resourceType: 'Key',
    resourceId: row.id,
    changes: [
      ...keyFacts(row, 'after'),
      { attr: 'scope', after: row.scope },
      { attr: 'rateLimitPerMinute', after: row.rateLimitPerMinute },
    ],
  })
  return { ...keyView(row), token: secret.token }
}

/** A new key of the tenant (`instanceId` null) or of one of its SCIM instances. */
export async function createKey(
  ctx: WriteContext,
  instanceId: string | null,
  input: KeySpecInput
): Promise<IssuedKey> {
  const spec = parseInput(keySpecSchema, input)
  if (instanceId !== null) await requireKeyInstance(ctx.db, ctx.tenantId, instanceId)
  const cs = new Changeset()
  const key = await addKey(ctx, cs, instanceId, spec)
  await commit(ctx, cs, 'key')
  return key
}

/** A live key of the tenant, or of the instance when one is named; 404 otherwise. */
async function liveKey(
  ctx: WriteContext,
  keyId: string,
  instanceId: string | undefined
): Promise<KeyRow> {
  if (instanceId !== undefined) await requireKeyInstance(ctx.db, ctx.tenantId, instanceId)
  const key = await getKey(ctx.db, keyId)
  const owned =
    key?.tenantId === ctx.tenantId && (instanceId === undefined || key.instanceId === instanceId)
  if (!key || !owned || key.revokedAt !== null) throw notFound(`No live key "${keyId}" here`)
  return key
}

/** The `key.revoke` entry of a key revoked at `at` (alone or with its instance). */
export const recordRevoke = (cs: Changeset, key: KeyRow, at: string): Changeset =>
  cs.record({
    op: 'key.revoke',
    resourceType: 'Key',
    resourceId: key.id,
    changes: [...keyFacts(key, 'before'), { attr: 'revokedAt', after: at }],
  })

/** Revokes a live key: its token answers 401 from then on. */
export async function revokeKey(
  ctx: WriteContext,
  keyId: string,
  instanceId?: string
): Promise<KeyView> {
  const key = await liveKey(ctx, keyId, instanceId)
  const cs = new Changeset().add(revokeKeyStatement(ctx.db, ctx.tenantId, key.id, ctx.now))
  recordRevoke(cs, key, ctx.now)
  await commit(ctx, cs, 'key')
  return keyView({ ...key, revokedAt: ctx.now })
}

/** A new secret for a live key (same id and prefix); the old token stops working at once. */
export async function regenerateKey(
  ctx: WriteContext,
  keyId: string,
  instanceId?: string
): Promise<IssuedKey> {
  const key = await liveKey(ctx, keyId, instanceId)
  const secret = await newSecret(regionOf(ctx), key.id)
  const cs = new Changeset().add(
    replaceKeySecretStatement(ctx.db, ctx.tenantId, key.id, secret.secretHash)
  )
  cs.record({
    op: 'key.regenerate',
    resourceType: 'Key',
    resourceId: key.id,
    changes: [...keyFacts(key, 'after'), { attr: 'secret', after: 'changed' }],
  })
  await commit(ctx, cs, 'key')
  return { ...keyView(key), prefix: secret.prefix, token: secret.token }
}
