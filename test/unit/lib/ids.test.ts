import { describe, it } from 'vitest'
import {
  base64Url,
  fromBase64Url,
  monotonicUuidV7,
  randomToken,
  uuidV7,
  uuidV7Floor,
} from '../../../src/lib/ids'

const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte)

describe('ids', () => {
  it('Should make UUIDv7 ids that sort by time', ({ expect }) => {
    const a = uuidV7(1_700_000_000_000, fixed(0xff))
    const b = uuidV7(1_700_000_000_001, fixed(0x00))
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a.slice(0, 13)).toBe('018bcfe5-6800')
    expect(a < b).toBe(true)
  })

  it('Should draw tokens from the lowercase alphanumeric alphabet only', ({ expect }) => {
    expect(randomToken(16)).toMatch(/^[a-z0-9]{16}$/)
    // Bytes at or above 252 are rejected to avoid modulo bias; 251 % 36 = 35 → '9'.
    let calls = 0
    const source = (n: number) => new Uint8Array(n).fill(calls++ === 0 ? 255 : 251)
    expect(randomToken(4, source)).toBe('9999')
  })

  it.for([new Uint8Array([]), new Uint8Array([0, 255, 62, 63]), new Uint8Array(32).fill(7)])(
    'Should round-trip base64url %#',
    (bytes, { expect }) => {
      const text = base64Url(bytes)
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
      expect(fromBase64Url(text)).toEqual(bytes)
    }
  )

  it('Should reject text that is not base64url', ({ expect }) => {
    expect(fromBase64Url('a+b/')).toBeUndefined()
    expect(fromBase64Url('abc!')).toBeUndefined()
  })

  it('Should refuse a last character that differs only in bits beyond the bytes', ({ expect }) => {
    // 32 bytes (an HMAC-SHA256) take 43 characters, whose last holds 4 bits of data and 2 spare.
    const text = base64Url(new Uint8Array(32).fill(0x10))
    expect(text.endsWith('A')).toBe(true)
    for (const spare of ['B', 'C', 'D']) {
      expect(fromBase64Url(`${text.slice(0, -1)}${spare}`)).toBeUndefined()
    }
    expect(fromBase64Url(text)).toEqual(new Uint8Array(32).fill(0x10))
    // A one-byte remainder: 2 characters, 4 spare bits in the second.
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]))
    expect(fromBase64Url('AB')).toBeUndefined()
  })
})

describe('monotonicUuidV7', () => {
  it('Should produce strictly increasing ids within one millisecond and across a clock step back', ({
    expect,
  }) => {
    const next = monotonicUuidV7()
    const ids = [next(1000), next(1000), next(1000), next(999), next(1001)]
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('Should move to the next millisecond when 4096 ids are made in one', ({ expect }) => {
    const next = monotonicUuidV7()
    let last = ''
    for (let i = 0; i < 5000; i++) {
      const id = next(5)
      expect(id > last).toBe(true)
      last = id
    }
  })
})

describe('uuidV7Floor', () => {
  it('Should sort below every id of its millisecond and above every earlier id', ({ expect }) => {
    const ms = 1_700_000_000_000
    const floor = uuidV7Floor(ms)
    expect(floor).toBe('018bcfe5-6800')
    expect(uuidV7(ms, fixed(0x00)) >= floor).toBe(true)
    expect(uuidV7(ms, fixed(0xff)) >= floor).toBe(true)
    expect(uuidV7(ms - 1, fixed(0xff)) < floor).toBe(true)
    expect(uuidV7(ms + 1, fixed(0x00)) >= uuidV7Floor(ms + 1)).toBe(true)
  })

  it('Should clamp times outside what a UUIDv7 can hold', ({ expect }) => {
    expect(uuidV7Floor(-5)).toBe('00000000-0000')
    expect(uuidV7Floor(2 ** 60)).toBe('ffffffff-ffff')
  })
})
