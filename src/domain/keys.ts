/**
 * @module SCIM keys. A token reads `scim_<region>_<keyId>_<secret>`: the region picks the
 * database and the key id the row, so authentication is one primary-key read; only the
 * SHA-256 of the secret is stored and it is compared in constant time.
 */
import { base64Url, cryptoRandom, randomToken, type RandomBytes } from '../lib/ids'
import { sha256Hex } from '../lib/secrets'
import type { KeyRow } from '../storage/repos/tenants'
import { REGIONS, type Region } from './tenant'

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

export interface NewSecret {
  token: string
  /** What admins see to tell keys apart: the token up to and including the key id. */
  prefix: string
  secretHash: string
}

export async function newSecret(
  region: Region,
  keyId: string,
  random: RandomBytes = cryptoRandom
): Promise<NewSecret> {
  const secret = base64Url(random(32))
  const prefix = `scim_${region}_${keyId}`
  return { token: `${prefix}_${secret}`, prefix, secretHash: await sha256Hex(secret) }
}

export const newKeyId = (random: RandomBytes = cryptoRandom): string => randomToken(12, random)

export interface KeySpec {
  tenantId: string
  region: Region
  instanceId: string | null
  scope: 'scim' | 'agent'
  name: string
  rateLimitPerMinute: number | null
  now: string
}

/** A new key's row (only the secret's hash) and its token, which is shown once. */
export async function issueKey(spec: KeySpec): Promise<{ row: KeyRow; token: string }> {
  const id = newKeyId()
  const secret = await newSecret(spec.region, id)
  const row: KeyRow = {
    id,
    tenantId: spec.tenantId,
    instanceId: spec.instanceId,
    scope: spec.scope,
    name: spec.name,
    prefix: secret.prefix,
    secretHash: secret.secretHash,
    rateLimitPerMinute: spec.rateLimitPerMinute,
    createdAt: spec.now,
    lastUsedAt: null,
    revokedAt: null,
  }
  return { row, token: secret.token }
}

/** What the admin API shows of a key: never the hash. */
export const keyView = (k: KeyRow) => ({
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
