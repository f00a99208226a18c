/**
 * The request log an operator reads: one JSON line per request, written in batches of at most
 * MAX_LINES lines per console message shortly after the requests finish; a 5xx at once on the
 * error stream. And the key check's digest comparison that every request pays.
 */
import { afterEach, describe, it, vi } from 'vitest'
import { FLUSH_AFTER_MS, MAX_LINES } from '../../src/lib/request-log'
import { sameDigest, sha256Hex } from '../../src/lib/secrets'
import { call } from '../support/scim'

const linesOf = (calls: unknown[][]): Record<string, unknown>[] =>
  calls.flatMap((args) =>
    String(args[0])
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  )

const settle = () => new Promise((resolve) => setTimeout(resolve, FLUSH_AFTER_MS * 3))

describe('Request log', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('Should write one line per request, several requests to a message', async ({ expect }) => {
    await settle()
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    const ids = Array.from({ length: 5 }, (_, i) => `log-test-${String(i).padStart(4, '0')}`)
    await Promise.all(
      ids.map((id) => call('/health', { headers: { 'X-Request-Id': id, 'User-Agent': 'probe' } }))
    )
    await settle()
    const lines = linesOf(info.mock.calls)
    expect(lines.map((l) => l.requestId).sort()).toEqual(ids)
    expect(info.mock.calls.length).toBeLessThan(ids.length)
    expect(lines[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      path: '/health',
      status: 200,
      userAgent: 'probe',
    })
  })

  it('Should write a full batch at once, without waiting', async ({ expect }) => {
    await settle()
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    await Promise.all(Array.from({ length: MAX_LINES }, () => call('/health')))
    expect(info).toHaveBeenCalledTimes(1)
    expect(linesOf(info.mock.calls)).toHaveLength(MAX_LINES)
  })

  it('Should keep a line short whatever User-Agent a client sends', async ({ expect }) => {
    await settle()
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    await call('/health', {
      headers: { 'User-Agent': 'y'.repeat(10_000) },
    })
    await settle()
    const [line] = linesOf(info.mock.calls)
    expect(String(line?.userAgent)).toHaveLength(256)
    expect(linesOf(info.mock.calls)).toHaveLength(1)
  })

  it('Should log a refused request too', async ({ expect }) => {
    await settle()
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    const res = await call('/scim/v2/Users', { headers: { Authorization: 'Bearer nonsense' } })
    expect(res.status).toBe(401)
    await settle()
    expect(linesOf(info.mock.calls)).toEqual([
      expect.objectContaining({ status: 401, path: '/scim/v2/Users', level: 'info' }),
    ])
  })
})

describe('sameDigest', () => {
  it('Should match only the same digest', async ({ expect }) => {
    const a = await sha256Hex('secret-a')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(sameDigest(a, await sha256Hex('secret-a'))).toBe(true)
    expect(sameDigest(a, await sha256Hex('secret-b'))).toBe(false)
    expect(sameDigest(a, undefined)).toBe(false)
    expect(sameDigest(a, '')).toBe(false)
    expect(sameDigest(a, a.slice(1))).toBe(false)
    expect(sameDigest('short', 'short')).toBe(false)
  })
})
