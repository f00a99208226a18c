/**
 * @module Authenticates a SCIM request by its key. Accepts `Authorization: Bearer <token>` and
 * the bare token (Okta's "HTTP Header" mode sends exactly what the admin pasted). The token
 * names its region and key, so this is one primary-key read in the right regional database.
 */
import { createMiddleware } from 'hono/factory'
import { loadConfig } from '../../config'
import { parseToken } from '../../domain/keys'
import type { AppEnv } from '../../env'
import { constantTimeEqual, sha256Hex } from '../../lib/secrets'
import { ScimError } from '../../scim/errors'
import { regionDb } from '../../storage/db'
import { getKey, touchKey } from '../../storage/repos/tenants'
import { RateLimiter } from './rate-limit'

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

export const scimAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = tokenFromHeader(c.req.header('Authorization'))
  if (!token) throw unauthorized('Authorization header with a SCIM key is required')
  const parsed = parseToken(token)
  if (!parsed) throw unauthorized('The SCIM key is not valid')
  const db = regionDb(c.env, parsed.region)
  const key = await getKey(db, parsed.keyId)
  const hash = await sha256Hex(parsed.secret)
  // Compare even when the key is missing so timing does not reveal which key ids exist.
  const matches = await constantTimeEqual(hash, key?.secretHash ?? '')
  if (!key || !matches || key.revokedAt !== null) throw unauthorized('The SCIM key is not valid or was revoked')
  const now = Date.now()
  const wait = limiter.take(key.id, key.rateLimitPerMinute ?? loadConfig(c.env).rateLimitPerMinute, now)
  if (wait > 0) {
    throw new ScimError(429, `Too many requests for this key; retry in ${String(wait)} s`, undefined, {
      'Retry-After': String(wait),
    })
  }
  if (!key.lastUsedAt || now - Date.parse(key.lastUsedAt) > TOUCH_INTERVAL_MS) {
    c.executionCtx.waitUntil(touchKey(db, key.id, new Date(now).toISOString()))
  }
  // Keys cascade-delete with their tenant, so a live key always names a live tenant.
  c.set('caller', { tenantId: key.tenantId, region: parsed.region, keyId: key.id })
  await next()
})
