/**
 * Console password hashing: PBKDF2-SHA-256 with a per-hash salt, parameters in the stored form,
 * strict parsing of what is stored, and the rules a new password must meet.
 */
import { describe, it } from 'vitest'
import {
  DECOY_HASH,
  hashPassword,
  passwordProblem,
  PBKDF2_ITERATIONS,
  verifyPassword,
} from '../../../src/lib/password'

describe('password hashing', () => {
  it('Should verify the password it hashed and nothing else, with a fresh salt each time', async ({
    expect,
  }) => {
    const a = await hashPassword('correct horse battery staple', 10_000)
    const b = await hashPassword('correct horse battery staple', 10_000)
    expect(a).toMatch(/^pbkdf2-sha256\$10000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true)
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false)
  })

  it('Should use the platform maximum of iterations by default', async ({ expect }) => {
    expect((await hashPassword('x'.repeat(12))).split('$')[1]).toBe(String(PBKDF2_ITERATIONS))
  })

  it.for([
    '',
    'bcrypt$2b$10$abc',
    'pbkdf2-sha256$100001$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43),
    'pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43),
    'pbkdf2-sha256$10000$AAAA$short',
    'pbkdf2-sha256$10000$!!$' + 'A'.repeat(43),
  ])('Should refuse the malformed stored hash %j without deriving', async (stored, { expect }) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false)
  })

  it('Should never match the decoy hash', async ({ expect }) => {
    expect(await verifyPassword('', DECOY_HASH)).toBe(false)
  })

  it.for([
    ['short', 'a@b.c', 'at least 12'],
    ['a@b.com.long.enough', 'a@b.com.long.enough', 'email'],
    ['aaaaaaaaaaaaaaaa', 'a@b.c', 'repetitive'],
    ['x'.repeat(300), 'a@b.c', 'at most'],
  ] as const)('Should refuse %j for %s (%s)', ([password, email, fragment], { expect }) => {
    expect(passwordProblem(password, email)).toContain(fragment)
  })

  it('Should accept a long passphrase', ({ expect }) => {
    expect(passwordProblem('correct horse battery staple', 'a@b.c')).toBeUndefined()
  })
})
