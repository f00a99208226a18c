/**
 * The `state` chain of "Connect to Microsoft Entra ID": the admin consent request's and the
 * sign-in request's that follows it, each accepted back only by the session, tenant and secret
 * that issued it, unaltered, before it expires, and never one in place of the other.
 */
import { describe, it } from 'vitest'
import {
  CONSENT_STATE_TTL_MS,
  isSignInState,
  readConsentState,
  readSignInState,
  signConsentState,
  signSignInState,
  type ConsentBinding,
  type SignInState,
} from '../../../../src/http/console/consent-state'

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0)
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/**
 * The MAC's last character with one of its two spare bits set (32 bytes take 43 characters):
 * the same bytes to a decoder that drops them, a different text to the session.
 */
const spareBit = (t: string): string =>
  t.slice(0, -1) + (ALPHABET[ALPHABET.indexOf(t.slice(-1)) + 1] ?? '')
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

const DIRECTORY = '4e5b7f1a-0c2d-4e3f-8a9b-0c1d2e3f4a5b'
const signIn: SignInState = { ...issued, directoryId: DIRECTORY, interactive: false }

describe('sign-in state', () => {
  it('Should give back the directory, nonce and mode it carries to the session', async ({
    expect,
  }) => {
    for (const interactive of [false, true]) {
      const text = await signSignInState(binding, { ...signIn, interactive })
      expect(text).toMatch(
        new RegExp(
          `^inst00000001\\.${DIRECTORY}\\.n0nce0000000000000000001\\.\\d+\\.[si]\\.[A-Za-z0-9_-]{43}$`
        )
      )
      expect(isSignInState(text)).toBe(true)
      expect(await readSignInState(binding, text, NOW - 1)).toEqual({
        ok: true,
        state: { ...signIn, interactive },
      })
    }
  })

  it.for([
    ['the directory', (t: string) => t.replace(DIRECTORY, '11111111-1111-4111-8111-111111111111')],
    ['the nonce', (t: string) => t.replace('n0nce0000000000000000001', 'n0nce0000000000000000002')],
    ['the mode', (t: string) => t.replace('.s.', '.i.')],
    ['the instance', (t: string) => t.replace('inst00000001', 'inst00000002')],
    ['a spare bit of the MAC', spareBit],
  ] as const)('Should refuse it with %s altered', async ([, alter], { expect }) => {
    const text = alter(await signSignInState(binding, signIn))
    expect(await readSignInState(binding, text, NOW - 1)).toEqual({ ok: false, reason: 'forged' })
  })

  it('Should refuse it in another session, and once expired', async ({ expect }) => {
    const text = await signSignInState(binding, signIn)
    const other = { ...binding, sessionIdHash: 'b'.repeat(64) }
    expect(await readSignInState(other, text, NOW - 1)).toEqual({ ok: false, reason: 'forged' })
    expect(await readSignInState(binding, text, NOW)).toEqual({ ok: false, reason: 'expired' })
  })

  it("Should never take one step's state for the other's", async ({ expect }) => {
    const consent = await signConsentState(binding, issued)
    const signInText = await signSignInState(binding, signIn)
    expect(isSignInState(consent)).toBe(false)
    expect(await readSignInState(binding, consent, NOW - 1)).toEqual({
      ok: false,
      reason: 'malformed',
    })
    expect(await readConsentState(binding, signInText, NOW - 1)).toEqual({
      ok: false,
      reason: 'malformed',
    })
    // The same fields under the consent label: the MAC of one step does not sign the other's.
    const consentMac = consent.split('.')[3] ?? ''
    const grafted = signInText.replace(/[^.]+$/, consentMac)
    expect(await readSignInState(binding, grafted, NOW - 1)).toEqual({
      ok: false,
      reason: 'forged',
    })
  })

  it.for([
    `inst00000001.NOT-A-GUID.n0nce0000000000000000001.1.s.${'m'.repeat(43)}`,
    `inst00000001.${DIRECTORY}.n0nce0000000000000000001.1.x.${'m'.repeat(43)}`,
    `inst00000001.${DIRECTORY.toUpperCase()}.n0nce0000000000000000001.1.s.${'m'.repeat(43)}`,
  ])('Should refuse %j as malformed', async (text, { expect }) => {
    expect(await readSignInState(binding, text, NOW)).toEqual({ ok: false, reason: 'malformed' })
  })
})
