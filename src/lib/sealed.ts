/**
 * @module Secrets at rest that must be read back (the pull sync's Entra client secret): AES-256-GCM
 * under a key held in a Worker secret, bound to its owner through the additional data, so a
 * ciphertext copied to another instance or tenant does not decrypt.
 */
import { base64Url, cryptoRandom, fromBase64Url, type RandomBytes } from './ids'

const VERSION = 'v1'

async function importKey(keyBase64: string): Promise<CryptoKey> {
  const raw = fromBase64Url(keyBase64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
  if (!raw || raw.length !== 32)
    throw new Error('SECRETS_KEY must be 32 random bytes, base64-encoded')
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/** Encrypts `plaintext` for `owner`; the result is `v1.<iv>.<ciphertext>` in base64url. */
export async function seal(
  plaintext: string,
  keyBase64: string,
  owner: string,
  random: RandomBytes = cryptoRandom
): Promise<string> {
  const iv = random(12)
  const key = await importKey(keyBase64)
  const data = new TextEncoder().encode(plaintext)
  const aad = new TextEncoder().encode(owner)
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, data)
  return `${VERSION}.${base64Url(iv)}.${base64Url(new Uint8Array(ct))}`
}

/** Decrypts a value made by `seal` for the same owner; throws on any tampering. */
export async function unseal(sealed: string, keyBase64: string, owner: string): Promise<string> {
  const [version, ivText, ctText] = sealed.split('.')
  const iv = fromBase64Url(ivText ?? '')
  const ct = fromBase64Url(ctText ?? '')
  if (version !== VERSION || !iv || !ct) throw new Error('Sealed secret is malformed')
  const key = await importKey(keyBase64)
  const aad = new TextEncoder().encode(owner)
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ct)
  return new TextDecoder().decode(plain)
}
