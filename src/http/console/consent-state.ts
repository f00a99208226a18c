/**
 * @module The `state` parameter of an admin consent request ("Connect to Microsoft Entra ID"). The
 * identity platform hands it back unchanged with its answer, and it is what ties that answer to
 * the request the console made: `<instance id>.<nonce>.<expiry ms>.<MAC>`, where the MAC is an
 * HMAC-SHA256 (base64url) over those three and the admin's tenant and session (the SHA-256 of the
 * session secret, never sent anywhere), keyed with the console's cookie secret under a label of
 * its own. So a state cannot be forged or altered, is worthless in another session or for another
 * instance, and expires within minutes; the tenant's object accepts each nonce once. Issuing one
 * stores nothing, so the consent redirect can start from a plain link (a GET).
 */
import { base64Url, fromBase64Url } from '../../lib/ids'

/** How long an admin has to answer Microsoft's consent prompt. */
export const CONSENT_STATE_TTL_MS = 10 * 60_000

/** What a state is bound to besides its own fields. */
export interface ConsentBinding {
  /** The console's cookie secret (CONSOLE_SESSION_SECRET). */
  secret: string
  tenantId: string
  /** SHA-256 of the session secret: the session's key in storage. */
  sessionIdHash: string
}

/** What a state carries. */
export interface ConsentState {
  instanceId: string
  /** Random, single use. */
  nonce: string
  expiresAtMs: number
}

/** Why a state was refused. */
export type ConsentStateRefusal = 'malformed' | 'forged' | 'expired'

const LABEL = 'console.entra-consent-state.v1'
const encoder = new TextEncoder()
const SHAPE = /^([a-z0-9]{1,64})\.([a-z0-9]{16,64})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/

const hmacKey = (secret: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])

/** The signed text: every field on its own line, after the label and the binding. */
const message = (binding: ConsentBinding, state: ConsentState): Uint8Array =>
  encoder.encode(
    [
      LABEL,
      binding.tenantId,
      binding.sessionIdHash,
      state.instanceId,
      state.nonce,
      String(state.expiresAtMs),
    ].join('\n')
  )

/** The state to send with a consent request. */
export async function signConsentState(
  binding: ConsentBinding,
  state: ConsentState
): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(binding.secret),
    message(binding, state)
  )
  return `${state.instanceId}.${state.nonce}.${String(state.expiresAtMs)}.${base64Url(new Uint8Array(mac))}`
}

/**
 * The state an answer carries, if this session issued it for this tenant and it has not expired
 * at `nowMs`; the MAC is checked in constant time (`crypto.subtle.verify`) before anything else.
 */
export async function readConsentState(
  binding: ConsentBinding,
  text: string,
  nowMs: number
): Promise<{ ok: true; state: ConsentState } | { ok: false; reason: ConsentStateRefusal }> {
  const match = SHAPE.exec(text)
  const mac = match?.[4] === undefined ? undefined : fromBase64Url(match[4])
  if (!match?.[1] || !match[2] || !match[3] || !mac) return { ok: false, reason: 'malformed' }
  const state = { instanceId: match[1], nonce: match[2], expiresAtMs: Number(match[3]) }
  const key = await hmacKey(binding.secret)
  if (!(await crypto.subtle.verify('HMAC', key, mac, message(binding, state))))
    return { ok: false, reason: 'forged' }
  if (state.expiresAtMs <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true, state }
}
