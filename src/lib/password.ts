/**
 * @module Console passwords: PBKDF2-SHA-256 from WebCrypto with a random 128-bit salt per hash.
 * The stored form names its parameters (`pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64url), so
 * a later change of the iteration count keeps old hashes verifiable and can rehash them at the
 * next sign-in. Workers' WebCrypto refuses more than 100,000 PBKDF2 iterations; the README says
 * how the count was chosen.
 */
import { base64Url, cryptoRandom, fromBase64Url, type RandomBytes } from './ids'

/** The Workers runtime's ceiling for PBKDF2, and the count new hashes use. */
export const PBKDF2_ITERATIONS = 100_000
/** Stored hashes outside this range are refused before any work is done. */
const MIN_ITERATIONS = 10_000
const SALT_BYTES = 16
const HASH_BITS = 256
/** Longer passwords are refused: PBKDF2 hashes the whole input on every iteration's HMAC key setup. */
export const MAX_PASSWORD_LENGTH = 256
const MIN_PASSWORD_LENGTH = 12

const encoder = new TextEncoder()

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BITS
  )
  return new Uint8Array(bits)
}

/** A new stored hash of `password`. */
export async function hashPassword(
  password: string,
  iterations: number = PBKDF2_ITERATIONS,
  random: RandomBytes = cryptoRandom
): Promise<string> {
  const salt = random(SALT_BYTES)
  const hash = await derive(password, salt, iterations)
  return `pbkdf2-sha256$${String(iterations)}$${base64Url(salt)}$${base64Url(hash)}`
}

interface StoredHash {
  iterations: number
  salt: Uint8Array
  hash: Uint8Array
}

function parseStored(stored: string): StoredHash | undefined {
  const [scheme, rounds, salt, hash, ...rest] = stored.split('$')
  const iterations = Number(rounds)
  const saltBytes = fromBase64Url(salt ?? '')
  const hashBytes = fromBase64Url(hash ?? '')
  if (
    scheme !== 'pbkdf2-sha256' ||
    rest.length > 0 ||
    !Number.isInteger(iterations) ||
    iterations < MIN_ITERATIONS ||
    iterations > PBKDF2_ITERATIONS ||
    !saltBytes ||
    hashBytes?.length !== HASH_BITS / 8
  )
    return undefined
  return { iterations, salt: saltBytes, hash: hashBytes }
}

/** Whether `password` matches the stored hash; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored)
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false
  const candidate = await derive(password, parsed.salt, parsed.iterations)
  let diff = 0
  for (let i = 0; i < parsed.hash.length; i++) diff |= (parsed.hash[i] ?? 0) ^ (candidate[i] ?? 0)
  return diff === 0
}

/**
 * A stored hash to verify against when no account matches, so an unknown email costs the same
 * time as a wrong password and timing does not reveal which emails have accounts.
 */
export const DECOY_HASH = `pbkdf2-sha256$${String(PBKDF2_ITERATIONS)}$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${String(MIN_PASSWORD_LENGTH)} characters`
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Use at most ${String(MAX_PASSWORD_LENGTH)} characters`
  if (password.trim().toLowerCase() === email.trim().toLowerCase())
    return 'The password must not be your email address'
  if (new Set(password).size < 5) return 'Use a less repetitive password'
  return undefined
}
