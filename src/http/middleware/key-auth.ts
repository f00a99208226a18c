/**
 * @module Authenticates SCIM and agent API requests by their key. Accepts
 * `Authorization: Bearer <token>` and the bare token (Okta's "HTTP Header" mode sends exactly
 * what the admin pasted). The token names its region and key, so the check is one primary-key
 * read (with the key's instance and tenant) in the right regional database, made on every
 * request: revoking a key, disabling its instance or offboarding its tenant takes effect at once.
 *
 * On the SCIM endpoint a request does not pay a round trip of its own for it: the key read
 * travels in the same D1 batch as the request's first reads (`readAsCaller`), which are scoped
 * to the tenant of the key only if the token's secret matches, and the answer is decided from
 * the key row before anything read is used. A write of a key this isolate has let through
 * before goes to the tenant's object, which judges the key before it queues the write
 * (`routedWrite`); any other write reads its key before it writes. Either way no write reaches
 * the object's queue with a key that does not hold. A request whose handler made no read
 * (discovery, an error before reading) is authenticated after it, before its answer leaves:
 * without a valid key every request still answers 401. The agent API authenticates up front.
 * A key of a disabled instance, of a tenant being offboarded, a revoked key and an unknown key
 * all answer 401; a key of the other scope answers 403.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { parseToken } from '../../domain/keys'
import { keyActor } from '../../domain/write-context'
import { Lru } from '../../lib/lru'
import { regionOfTenant, type Region } from '../../model/tenant'
import type { Envelope } from '../../tenant-do/commands'
import { envelope } from '../envelope'
import type { HonoTypes, KeyCheck } from '../../env'
import { sha256Hex } from '../../lib/secrets'
import { admitKey, unauthorized } from '../../domain/key-check'
import { regionD1, regionDb } from '../../storage/db'
import {
  runReads,
  tenantIs,
  tenantOfKey,
  type Read,
  type ReadValues,
  type TenantScope,
} from '../../storage/read-batch'
import { getKeyForAuth, keyForAuthRead, type KeyForAuth } from '../../storage/repos/instances'
import { touchKey } from '../../storage/repos/tenants'
import { RateLimiter } from '../../domain/rate-limit'

const limiter = new RateLimiter()

/** Where a key seen in this isolate belongs: facts that never change for a key id. */
interface KeyRoute {
  tenantId: string
  instanceId: string | null
}
/** Routes remembered, by region and key id. */
const routes = new Lru<string, KeyRoute>(10_000)
const routeKey = (check: KeyCheck): string => `${check.region}:${check.keyId}`

function tokenFromHeader(header: string | undefined): string | undefined {
  const value = header?.trim()
  if (!value) return undefined
  const bearer = /^bearer\s+(.+)$/i.exec(value)
  return (bearer?.[1] ?? value).trim()
}

/** Admits the key (live, of this scope, within its limits) and records its use. */
async function refuseUnlessUsable(
  c: Context<HonoTypes>,
  check: KeyCheck,
  row: KeyForAuth | undefined
) {
  const { key, touchAt } = await admitKey(check, row, { binding: c.env.KEY_RATE_LIMIT, limiter })
  if (touchAt) c.executionCtx.waitUntil(touchKey(regionDb(c.env, check.region), key.id, touchAt))
  return key
}

/** Decides on the key row; on success the request has its caller. */
async function settle(c: Context<HonoTypes>, check: KeyCheck, row: KeyForAuth | undefined) {
  // Decided either way: a refused key is answered once, never checked again.
  check.decided = true
  const key = await refuseUnlessUsable(c, check, row)
  routes.set(routeKey(check), { tenantId: key.tenantId, instanceId: key.instanceId })
  // Keys cascade-delete with their tenant, so a live key always names a live tenant.
  c.set('caller', {
    tenantId: key.tenantId,
    region: check.region,
    keyId: key.id,
    instanceId: key.instanceId,
  })
}

/**
 * Key authentication for one scope: `scim` for /scim/v2, `agent` for the agent API. With
 * `foldReads`, a request's check waits for its first reads (`readAsCaller`); its handlers must
 * read through `readAsCaller` and `callerScope`, never `caller`, before they have read, and a
 * write must either read (if only `readAsCaller(c, [])`) or go through `routedWrite` before it
 * writes.
 */
export const keyAuth = (scope: 'scim' | 'agent', { foldReads = false } = {}) =>
  createMiddleware<HonoTypes>(async (c, next) => {
    const token = tokenFromHeader(c.req.header('Authorization'))
    if (!token) throw unauthorized('Authorization header with a key is required')
    const parsed = parseToken(token)
    if (!parsed) throw unauthorized('The key is not valid')
    const secretHash = await sha256Hex(parsed.secret)
    const check: KeyCheck = {
      region: parsed.region,
      keyId: parsed.keyId,
      secretHash,
      scope,
      decided: false,
    }
    const readKey = () => getKeyForAuth(regionDb(c.env, check.region), check.keyId)
    if (!foldReads) {
      await settle(c, check, await readKey())
      return next()
    }
    c.set('keyCheck', check)
    await next()
    if (!check.decided) await settle(c, check, await readKey())
  })

export const scimAuth = keyAuth('scim', { foldReads: true })

/**
 * A SCIM write whose key this isolate has let through before: its tenant is known, so the write
 * goes to the tenant's object with the key's claim, and the object judges the key
 * (../../tenant-do/key-gate.ts) before it queues the write; the Worker reads nothing. Undefined
 * for a key not seen yet (the write reads its key first). `admitted` records the caller once the
 * object has let the write through.
 */
export function routedWrite(
  c: Context<HonoTypes>
): { envelope: Envelope; admitted(): void } | undefined {
  const check = pendingCheck(c)
  const route = check && routes.get(routeKey(check))
  if (!check || !route || regionOfTenant(route.tenantId) !== check.region) return undefined
  // Decided by the object: a refusal is its answer, never checked again here.
  check.decided = true
  const caller = { ...route, region: check.region, keyId: check.keyId }
  const claim = { keyId: check.keyId, secretHash: check.secretHash, scope: check.scope }
  return {
    envelope: {
      ...envelope(c.var.requestId, route.tenantId, keyActor('scim', caller)),
      key: claim,
    },
    admitted: () => {
      c.set('caller', caller)
    },
  }
}

/** The region of the request's database: the token's, known before the key is checked. */
const callerRegion = (c: Context<HonoTypes>): Region =>
  c.var.keyCheck?.region ?? c.var.caller.region

const pendingCheck = (c: Context<HonoTypes>): KeyCheck | undefined => {
  const check = c.var.keyCheck
  return check !== undefined && !check.decided ? check : undefined
}

/**
 * The tenant scope of the caller's reads: while its key is not checked yet, the tenant of the
 * key if the token's secret matches (see tenantOfKey); afterwards its tenant id.
 */
export function callerScope(c: Context<HonoTypes>): TenantScope {
  const check = pendingCheck(c)
  return check ? tenantOfKey(check.keyId, check.secretHash) : tenantIs(c.var.caller.tenantId)
}

/**
 * Runs a request's reads (scoped with `callerScope`) as one D1 batch. While the key is not
 * checked yet, its check is the batch's first statement, and it decides (401/403/429) before
 * any value read is returned.
 */
export async function readAsCaller<const R extends readonly Read<unknown>[]>(
  c: Context<HonoTypes>,
  reads: R
): Promise<ReadValues<R>> {
  const check = pendingCheck(c)
  const d1 = regionD1(c.env, callerRegion(c))
  if (check === undefined) return runReads(d1, reads)
  const [key, ...values] = await runReads(d1, [keyForAuthRead(check.keyId), ...reads])
  await settle(c, check, key)
  // The values after the key's are the reads' own, in order.
  return values
}
