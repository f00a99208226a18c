/**
 * @module Whether a key may make a request: one rule for the Worker, which judges the keys of
 * reads (the key row read with them), and for the tenant's object, which judges the keys of
 * the writes routed to it. Every refusal answers the same whoever judges it.
 */
import { sameDigest } from '../lib/secrets'
import { takeKeyRequest, type RateLimiter } from './rate-limit'
import { ScimError } from '../scim/errors'
import type { KeyForAuth } from '../storage/repos/instances'

/** What a request claims with its token: a key, the SHA-256 of its secret, the API it calls. */
export interface KeyClaim {
  keyId: string
  /** SHA-256 (hex) of the token's secret part. */
  secretHash: string
  scope: 'scim' | 'agent'
}

/** 401 with the challenge RFC 6750 §3 asks for. */
export const unauthorized = (detail: string): ScimError =>
  new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="SCIM"' })

/**
 * The key of a claim when it is live, its secret matches and it is of the scope asked; else
 * throws the refusal (401 or 403). `tenantId`, when given, is the tenant it must belong to.
 */
function usableKey(claim: KeyClaim, key: KeyForAuth | undefined, tenantId?: string): KeyForAuth {
  // Compare even when the key is missing so timing does not reveal which key ids exist.
  const matches = sameDigest(claim.secretHash, key?.secretHash)
  if (!key || !matches || (tenantId !== undefined && key.tenantId !== tenantId))
    throw unauthorized('The key is not valid or was revoked')
  // Said before "revoked": offboarding revokes every key, and this is the reason to give.
  if (key.tenantStatus === 'offboarding')
    throw unauthorized('The tenant of this key is being offboarded; its keys no longer work')
  if (key.revokedAt !== null) throw unauthorized('The key is not valid or was revoked')
  if (key.instanceEnabled === false)
    throw unauthorized('The integration instance of this key is disabled')
  if (key.scope !== claim.scope)
    throw new ScimError(
      403,
      `This key may only call the ${key.scope === 'agent' ? 'agent API' : 'SCIM endpoint'}`
    )
  return key
}

/** The answer to a request over its key's limit: 429 with Retry-After (RFC 7644 §3.12). */
const tooManyRequests = (waitSeconds: number): ScimError =>
  new ScimError(
    429,
    `Too many requests for this key; retry in ${String(waitSeconds)} s`,
    undefined,
    {
      'Retry-After': String(waitSeconds),
    }
  )

/** last_used_at is written at most this often per key, off the request's critical path. */
const TOUCH_INTERVAL_MS = 60_000

/** Where a key's requests are counted: the shared binding and this judge's own windows. */
export interface KeyLimits {
  binding: RateLimit
  limiter: RateLimiter
}

/**
 * Admits one request of a claim: the key must be usable (`usableKey`) and within its limits,
 * else the refusal is thrown (401, 403, 429 with Retry-After). `touchAt` is the time to write
 * as its last use, when the last one is older than a minute.
 */
export async function admitKey(
  claim: KeyClaim,
  row: KeyForAuth | undefined,
  limits: KeyLimits,
  tenantId?: string
): Promise<{ key: KeyForAuth; touchAt: string | undefined }> {
  const key = usableKey(claim, row, tenantId)
  const now = Date.now()
  const wait = await takeKeyRequest(limits.binding, limits.limiter, key, now)
  if (wait > 0) throw tooManyRequests(wait)
  const due = !key.lastUsedAt || now - Date.parse(key.lastUsedAt) > TOUCH_INTERVAL_MS
  return { key, touchAt: due ? new Date(now).toISOString() : undefined }
}
