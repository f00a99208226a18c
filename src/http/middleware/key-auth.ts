/**
 * @module Authenticates SCIM and agent API requests by their key. Accepts
 * `Authorization: Bearer <token>` and the bare token (Okta's "HTTP Header" mode sends exactly
 * what the admin pasted). The token names its region and key, so this is one primary-key read
 * (with the key's instance and tenant) in the right regional database. A key of a disabled
 * instance, of a tenant being offboarded, a revoked key and an unknown key all answer 401; a
 * key of the other scope answers 403.
 */
import { createMiddleware } from 'hono/factory'
import { parseToken } from '../../domain/keys'
import type { AppEnv } from '../../env'
import { constantTimeEqual, sha256Hex } from '../../lib/secrets'
import { ScimError } from '../../scim/errors'
import { regionDb } from '../../storage/db'
import { getKeyForAuth } from '../../storage/repos/instances'
import { touchKey } from '../../storage/repos/tenants'
import { RateLimiter, takeKeyRequest } from './rate-limit'

const limiter = new RateLimiter()
/** last_used_at is written at most this often per key, off the request's critical path. */
const TOUCH_INTERVAL_MS = 60_000

const unauthorized = (detail: string) =>
  new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="SCIM"' })

export function tokenFromHeader(header: string | undefined): string | undefined {
  const value = header?.trim()
  if (!value) return undefined
  const bearer = /^bearer\s+(.+)$/i.exec(value)
  return (bearer?.[1] ?? value).trim()
}

/** Key authentication for one scope: `scim` for /scim/v2, `agent` for the agent API. */
export const keyAuth = (scope: 'scim' | 'agent') =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = tokenFromHeader(c.req.header('Authorization'))
    if (!token) throw unauthorized('Authorization header with a key is required')
    const parsed = parseToken(token)
    if (!parsed) throw unauthorized('The key is not valid')
    const db = regionDb(c.env, parsed.region)
    const key = await getKeyForAuth(db, parsed.keyId)
    const hash = await sha256Hex(parsed.secret)
    // Compare even when the key is missing so timing does not reveal which key ids exist.
    const matches = await constantTimeEqual(hash, key?.secretHash ?? '')
    if (!key || !matches) throw unauthorized('The key is not valid or was revoked')
    // Said before "revoked": offboarding revokes every key, and this is the reason to give.
    if (key.tenantStatus === 'offboarding')
      throw unauthorized('The tenant of this key is being offboarded; its keys no longer work')
    if (key.revokedAt !== null) throw unauthorized('The key is not valid or was revoked')
    if (key.instanceEnabled === false)
      throw unauthorized('The integration instance of this key is disabled')
    if (key.scope !== scope)
      throw new ScimError(
        403,
        `This key may only call the ${key.scope === 'agent' ? 'agent API' : 'SCIM endpoint'}`
      )
    const now = Date.now()
    const wait = await takeKeyRequest(c.env.KEY_RATE_LIMIT, limiter, key, now)
    if (wait > 0) {
      throw new ScimError(
        429,
        `Too many requests for this key; retry in ${String(wait)} s`,
        undefined,
        {
          'Retry-After': String(wait),
        }
      )
    }
    if (!key.lastUsedAt || now - Date.parse(key.lastUsedAt) > TOUCH_INTERVAL_MS) {
      c.executionCtx.waitUntil(touchKey(db, key.id, new Date(now).toISOString()))
    }
    // Keys cascade-delete with their tenant, so a live key always names a live tenant.
    c.set('caller', {
      tenantId: key.tenantId,
      region: parsed.region,
      keyId: key.id,
      instanceId: key.instanceId,
    })
    await next()
  })

export const scimAuth = keyAuth('scim')
