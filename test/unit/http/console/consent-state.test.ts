/**
 * The admin consent request's `state`: accepted back only by the session, tenant and secret that
 * issued it, unaltered and before it expires.
 */
import { describe, it } from 'vitest'
import {
  CONSENT_STATE_TTL_MS,
  readConsentState,
  signConsentState,
  type ConsentBinding,
} from '../../../../src/http/console/consent-state'

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0)
const binding: ConsentBinding = {
  secret: 'test-console-session-secret-0123456789abcdef',
  tenantId: 'us_acme0000001',
  sessionIdHash: 'a'.repeat(64),
}
const issued = { instanceId: 'inst00000001', nonce: 'n0nce0000000000000000001', expiresAtMs: NOW }

describe('consent state', () => {
  it('Should give back what it carries to the session that issued it', async ({ expect }) => {
    const text = await signConsentState(binding, issued)
    expect(text).toMatch(/^inst00000001\.n0nce0000000000000000001\.\d+\.[A-Za-z0-9_-]{43}$/)
    expect(await readConsentState(binding, text, NOW - 1)).toEqual({ ok: true, state: issued })
  })

  it.for([
    ['another session', { sessionIdHash: 'b'.repeat(64) }],
    ['another tenant', { tenantId: 'us_other000001' }],
    ['another secret', { secret: 'another-console-session-secret-0123456789' }],
  ] as const)('Should refuse it in %s', async ([, other], { expect }) => {
    const text = await signConsentState(binding, issued)
    expect(await readConsentState({ ...binding, ...other }, text, NOW - 1)).toEqual({
      ok: false,
      reason: 'forged',
    })
  })

  it.for([
    ['the instance', (t: string) => t.replace('inst00000001', 'inst00000002')],
    ['the nonce', (t: string) => t.replace('n0nce0000000000000000001', 'n0nce0000000000000000002')],
    ['the expiry', (t: string) => t.replace(`.${String(NOW)}.`, `.${String(NOW + 60_000)}.`)],
  ] as const)('Should refuse it with %s altered', async ([, alter], { expect }) => {
    const text = alter(await signConsentState(binding, issued))
    expect(await readConsentState(binding, text, NOW - 1)).toEqual({ ok: false, reason: 'forged' })
  })

  it('Should refuse it once expired', async ({ expect }) => {
    const text = await signConsentState(binding, issued)
    expect(await readConsentState(binding, text, NOW)).toEqual({ ok: false, reason: 'expired' })
    expect(CONSENT_STATE_TTL_MS).toBeLessThanOrEqual(15 * 60_000)
  })

  it.for([
    '',
    'x',
    'inst.nonce.1.mac',
    'a.b.c.d.e',
    `${'a'.repeat(65)}.${'n'.repeat(20)}.1.${'m'.repeat(43)}`,
  ])('Should refuse %j as malformed', async (text, { expect }) => {
    expect(await readConsentState(binding, text, NOW)).toEqual({ ok: false, reason: 'malformed' })
  })
})
