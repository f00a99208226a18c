import { describe, it } from 'vitest'
import { seal, unseal } from '../../../src/lib/sealed'

const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

describe('seal / unseal', () => {
  it('Should round-trip a secret for its owner and never store it in clear', async ({ expect }) => {
    const sealed = await seal('client-secret~1', KEY, 'us_t/inst1')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain('client-secret')
    expect(await unseal(sealed, KEY, 'us_t/inst1')).toBe('client-secret~1')
  })

  it('Should refuse another owner, another key, or a tampered ciphertext', async ({ expect }) => {
    const sealed = await seal('s', KEY, 'us_t/inst1')
    await expect(unseal(sealed, KEY, 'us_t/inst2')).rejects.toThrow()
    await expect(
      unseal(sealed, 'BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', 'us_t/inst1')
    ).rejects.toThrow()
    await expect(unseal(`${sealed.slice(0, -2)}AA`, KEY, 'us_t/inst1')).rejects.toThrow()
    await expect(seal('s', 'c2hvcnQ', 'o')).rejects.toThrow('SECRETS_KEY must be 32 random bytes')
  })
})
