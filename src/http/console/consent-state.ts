/**
 * @module The `state` parameters of "Connect to Microsoft Entra ID". The identity platform hands a
 * state back unchanged with its answer, and it is what ties that answer to the request the
 * console made. Connecting takes two requests, so the state is a chain of two:
 * - the admin consent request's: `<instance id>.<nonce>.<expiry ms>.<MAC>`;
 * - the sign-in request's that follows a consent answer, carrying the directory that answer named
 *   (which the sign-in must prove) and whether the sign-in may show pages:
 *   `<instance id>.<directory id>.<nonce>.<expiry ms>.<s|i>.<MAC>`.
 * Each MAC is an HMAC-SHA256 (base64url) over the fields and the admin's tenant and session (the
 * SHA-256 of the session secret, never sent anywhere), keyed with the console's cookie secret
 * under a label of each step's own, so one step's state is never taken for the other's. A state
 * cannot be forged or altered, is worthless in another session or for another instance or
 * directory, and expires within minutes of "Connect" (the sign-in keeps the consent request's
 * nonce and expiry); the tenant's object accepts each nonce once. Issuing one stores nothing, so
 * every step is a plain redirect (a GET).
 */
import { base64Url, fromBase64Url } from '../../lib/ids'

/** How long an admin has, from "Connect", to consent and sign in. */
export const CONSENT_STATE_TTL_MS = 10 * 60_000

/** What a state is bound to besides its own fields. */
export interface ConsentBinding {
  /** The console's cookie secret (CONSOLE_SESSION_SECRET). */
  secret: string
  tenantId: string
  /** SHA-256 of the session secret: the session's key in storage. */
  sessionIdHash: string
}

/** What a consent request's state carries. */
export interface ConsentState {
  instanceId: string
  /** Random, single use; also the sign-in's OpenID Connect nonce. */
  nonce: string
  expiresAtMs: number
}

/** What a sign-in request's state carries besides the consent request's. */
export interface SignInState extends ConsentState {
  /** The directory (a lowercase GUID) the consent answer named: the sign-in must prove it. */
  directoryId: string
  /** Whether the sign-in may show pages (a silent one could not be answered silently). */
  interactive: boolean
}

/** Why a state was refused. */
export type ConsentStateRefusal = 'malformed' | 'forged' | 'expired'

type Read<T> = { ok: true; state: T } | { ok: false; reason: ConsentStateRefusal }

const CONSENT_LABEL = 'console.entra-consent-state.v1'
const SIGN_IN_LABEL = 'console.entra-signin-state.v1'
const encoder = new TextEncoder()
const MAC = '([A-Za-z0-9_-]{43})'
const CONSENT_SHAPE = new RegExp(`^([a-z0-9]{1,64})\\.([a-z0-9]{16,64})\\.(\\d{1,16})\\.${MAC}$`)
const SIGN_IN_SHAPE = new RegExp(
  `^([a-z0-9]{1,64})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.([a-z0-9]{16,64})\\.(\\d{1,16})\\.([si])\\.${MAC}$`
)

const hmacKey = (secret: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])

/** The signed text: every field on its own line, after the label and the binding. */
const message = (binding: ConsentBinding, label: string, fields: string[]): Uint8Array =>
  encoder.encode([label, binding.tenantId, binding.sessionIdHash, ...fields].join('\n'))

async function signed(binding: ConsentBinding, label: string, fields: string[]): Promise<string> {
  const key = await hmacKey(binding.secret)
  const mac = await crypto.subtle.sign('HMAC', key, message(binding, label, fields))
  return [...fields, base64Url(new Uint8Array(mac))].join('.')
}

/**
 * The state once its MAC is checked, in constant time (`crypto.subtle.verify`) before anything
 * else, and its expiry against `nowMs`.
 */
async function verified<T extends ConsentState>(
  binding: ConsentBinding,
  label: string,
  fields: string[],
  macText: string,
  state: T,
  nowMs: number
): Promise<Read<T>> {
  const mac = fromBase64Url(macText)
  // The shape admits only 43 base64url characters, so a MAC that does not decode was altered.
  if (!mac) return { ok: false, reason: 'forged' }
  const key = await hmacKey(binding.secret)
  if (!(await crypto.subtle.verify('HMAC', key, mac, message(binding, label, fields))))
    return { ok: false, reason: 'forged' }
  if (state.expiresAtMs <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true, state }
}

const consentFields = (s: ConsentState): string[] => [s.instanceId, s.nonce, String(s.expiresAtMs)]

const signInFields = (s: SignInState): string[] => [
  s.instanceId,
  s.directoryId,
  s.nonce,
  String(s.expiresAtMs),
  s.interactive ? 'i' : 's',
]

/** The state to send with a consent request. */
export const signConsentState = (binding: ConsentBinding, state: ConsentState): Promise<string> =>
  signed(binding, CONSENT_LABEL, consentFields(state))

/** The state to send with the sign-in request that follows a consent answer. */
export const signSignInState = (binding: ConsentBinding, state: SignInState): Promise<string> =>
  signed(binding, SIGN_IN_LABEL, signInFields(state))

/** Whether a returned state is a sign-in request's (else it can only be a consent request's). */
export const isSignInState = (text: string): boolean => text.split('.').length === 6

/** The state a consent answer carries, if this session issued it and it has not expired. */
export async function readConsentState(
  binding: ConsentBinding,
  text: string,
  nowMs: number
): Promise<Read<ConsentState>> {
  const match = CONSENT_SHAPE.exec(text)
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return { ok: false, reason: 'malformed' }
  const state = { instanceId: match[1], nonce: match[2], expiresAtMs: Number(match[3]) }
  return verified(binding, CONSENT_LABEL, consentFields(state), match[4], state, nowMs)
}

/** The state a sign-in answer carries, if this session issued it and it has not expired. */
export async function readSignInState(
  binding: ConsentBinding,
  text: string,
  nowMs: number
): Promise<Read<SignInState>> {
  const match = SIGN_IN_SHAPE.exec(text)
  if (!match?.[1] || !match[2] || !match[3] || !match[4] || !match[5] || !match[6])
    return { ok: false, reason: 'malformed' }
  const state: SignInState = {
    instanceId: match[1],
    directoryId: match[2],
    nonce: match[3],
    expiresAtMs: Number(match[4]),
    interactive: match[5] === 'i',
  }
  return verified(binding, SIGN_IN_LABEL, signInFields(state), match[6], state, nowMs)
}
