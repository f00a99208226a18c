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

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** The SHA-256 of a text (UTF-8) in lowercase hex: how secrets are stored. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
  let hex = ''
  for (const b of digest) hex += HEX[b] ?? ''
  return hex
}

/** What a missing stored digest is compared with, so that the comparison takes the same time. */
const NO_DIGEST = encoder.encode('0'.repeat(64))

/**
 * Whether a SHA-256 hex digest equals a stored one, in constant time (the runtime's
 * `timingSafeEqual`). Both have the length of a hex SHA-256, which is no secret; a stored digest
 * that is missing or of another length never matches, compared against zeros all the same.
 */
export function sameDigest(digest: string, stored: string | undefined): boolean {
  const a = encoder.encode(digest)
  const b = stored === undefined ? NO_DIGEST : encoder.encode(stored)
  const comparable = a.byteLength === NO_DIGEST.byteLength && b.byteLength === a.byteLength
  const equal = crypto.subtle.timingSafeEqual(
    comparable ? a : NO_DIGEST,
    comparable ? b : NO_DIGEST
  )
  return comparable && equal
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
  return crypto.subtle.timingSafeEqual(ha, hb)
}
