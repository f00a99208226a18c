/**
 * @module Identifier and secret generation. Resource ids are UUIDv7 (RFC 9562 §5.7): unique,
 * opaque to clients, and time-ordered so that ordering by id is creation order, which makes
 * index and cursor paging stable.
 */

/** A source of random bytes; `crypto.getRandomValues` in production, seeded in tests. */
export type RandomBytes = (length: number) => Uint8Array

export const cryptoRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length))

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** A UUIDv7 for the given millisecond timestamp. */
export function uuidV7(nowMs: number, random: RandomBytes = cryptoRandom): string {
  const bytes = random(16)
  let ts = nowMs
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256
    ts = Math.floor(ts / 256)
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * The lowest text any UUIDv7 of millisecond `ms` can have (its timestamp digits alone): ids made
 * at or after `ms` sort at or above it, earlier ones below, so a time range is an id range.
 */
export function uuidV7Floor(ms: number): string {
  const clamped = Math.min(Math.max(0, Math.floor(ms)), 0xffffffffffff)
  const h = clamped.toString(16).padStart(12, '0')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}`
}

/**
 * A UUIDv7 source whose ids strictly increase even within one millisecond (RFC 9562 §6.2,
 * method 1: a 12-bit counter in rand_a), so rows written by one writer sort in write order.
 * When the counter runs out, the timestamp moves on by a millisecond.
 */
export function monotonicUuidV7(random: RandomBytes = cryptoRandom): (nowMs: number) => string {
  let lastMs = -1
  let counter = 0
  return (nowMs) => {
    if (nowMs > lastMs) {
      lastMs = nowMs
      counter = 0
    } else if (++counter > 0xfff) {
      lastMs += 1
      counter = 0
    }
    const id = uuidV7(lastMs, random)
    return `${id.slice(0, 14)}${(0x7000 | counter).toString(16)}${id.slice(18)}`
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A random lowercase alphanumeric string (used inside tenant and key ids). */
export function randomToken(length: number, random: RandomBytes = cryptoRandom): string {
  // 252 is the largest multiple of 36 below 256: rejecting above it keeps the draw unbiased.
  let out = ''
  while (out.length < length) {
    for (const b of random(length * 2)) {
      if (b < 252 && out.length < length) out += ALPHABET.charAt(b % 36)
    }
  }
  return out
}

/** base64url without padding, the unreserved-character encoding used for secrets and cursors. */
export function base64Url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * The bytes of base64url text, or undefined if it is not the one encoding `base64Url` makes of
 * them: text whose last character carries bits beyond the bytes (`atob` drops them) is refused,
 * so a MAC or a cursor altered there does not pass for the original.
 */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined
  const padded =
    text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
    return base64Url(bytes) === text ? bytes : undefined
  } catch {
    return undefined
  }
}

/** Orders rows by id as SQLite does (binary order of the text), for rows sorted after reading. */
export const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0
