/**
 * @module Hashing and constant-time comparison of secrets (SCIM keys, the admin token).
 * SCIM key secrets are 256 random bits, so a single SHA-256 is enough: there is nothing to
 * brute-force that a slow hash would protect.
 */

import { base64Url, cryptoRandom } from './ids'

const encoder = new TextEncoder()

/**
 * A 256-bit random secret (base64url) and its SHA-256, the only form in which it is stored:
 * session ids and invitation links.
 */
export async function randomSecret(): Promise<{ secret: string; hash: string }> {
  const secret = base64Url(cryptoRandom(32))
  return { secret, hash: await sha256Hex(secret) }
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Compares two strings in time that depends only on their lengths' maximum, not on where they
 * first differ. Both are hashed first so that unequal lengths leak nothing either.
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ])
  const x = new Uint8Array(ha)
  const y = new Uint8Array(hb)
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return diff === 0
}
