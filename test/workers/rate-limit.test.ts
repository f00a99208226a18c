/**
 * The per-key request limit through the Workers Rate Limiting binding: the default holds for
 * every key, a key's own limit only lowers it, and the answer is 429 with Retry-After in the
 * RFC 7644 §3.12 error shape.
 */
import { describe, it } from 'vitest'
import { REQUESTS_PER_UNIT } from '../../src/domain/rate-limit'
import { adminJson } from '../support/directory'
import { call, createTenant } from '../support/scim'

/**
 * vitest.config.ts gives the KEY_RATE_LIMIT binding a limit of 6 units per 60 seconds, each
 * unit REQUESTS_PER_UNIT requests.
 */
const DEFAULT_LIMIT = 6 * REQUESTS_PER_UNIT

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Local rate limit windows are aligned to the clock's minutes: start early in one, so that all
 * of a test's requests count in the same window.
 */
async function freshWindow(): Promise<void> {
  const into = Date.now() % 60_000
  if (into > 45_000) await sleep(60_000 - into + 50)
}

const get = (path: string, token: string) =>
  call(path, { headers: { Authorization: `Bearer ${token}` } })

/** `n` requests, 50 at a time; their statuses, counted. */
async function burst(n: number, send: () => Promise<Response>): Promise<Record<number, number>> {
  const counts: Record<number, number> = {}
  for (let sent = 0; sent < n; sent += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - sent) }, send))
    for (const res of batch) {
      counts[res.status] = (counts[res.status] ?? 0) + 1
      await res.body?.cancel()
    }
  }
  return counts
}

async function newKey(tenantId: string, body: Record<string, unknown>): Promise<string> {
  return (await adminJson<{ token: string }>('POST', `/tenants/${tenantId}/keys`, body, 201)).token
}

describe('Per-key rate limit', () => {
  it('Should answer 429 with Retry-After once a key passes the default, even a key allowed more', async ({
    expect,
  }) => {
    const tenant = await createTenant('us', 'Busy')
    // A key's own limit above the default does not raise it: the binding caps every key.
    const raised = await newKey(tenant.id, { name: 'raised', rateLimitPerMinute: 1_000_000 })
    const other = await newKey(tenant.id, { name: 'other' })
    const keys: [string, string][] = [
      ['/scim/v2/ServiceProviderConfig', tenant.token],
      ['/scim/v2/Users', raised],
    ]
    await freshWindow()
    const bursts = await Promise.all(
      keys.map(([path, token]) => burst(DEFAULT_LIMIT, () => get(path, token)))
    )
    expect(bursts).toEqual(keys.map(() => ({ 200: DEFAULT_LIMIT })))
    const over = await Promise.all(keys.map(([path, token]) => get(path, token)))
    expect(over.map((r) => [r.status, r.headers.get('Retry-After')])).toEqual(
      keys.map(() => [429, '60'])
    )
    expect(await over[0]?.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '429',
      detail: 'Too many requests for this key; retry in 60 s',
    })
    // Counted per key: the tenant's other key is untouched.
    expect((await get('/scim/v2/Users', other)).status).toBe(200)
  }, 120_000)

  it("Should still apply a key's own lower limit", async ({ expect }) => {
    const tenant = await createTenant('us', 'Slow')
    const slow = await newKey(tenant.id, { name: 'slow', rateLimitPerMinute: 5 })
    expect(await burst(6, () => get('/scim/v2/Users', slow))).toEqual({ 200: 5, 429: 1 })
    const res = await get('/scim/v2/Users', slow)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(60)
  }, 90_000)
})
