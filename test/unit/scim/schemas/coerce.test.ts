import { describe, it } from 'vitest'
import type { AttributeDef } from '../../../../src/scim/schemas'
import {
  canonicalizeAttributes,
  coerceValue,
  isUnassigned,
} from '../../../../src/scim/schemas/coerce'
import { attribute, complex } from '../../../../src/scim/schemas/define'
import { catchScimError } from './catch-scim-error'

const integer = attribute('count', 'integer', 'integer')
const decimal = attribute('ratio', 'decimal', 'decimal')
const dateTime = attribute('born', 'dateTime', 'dateTime')
const binary = attribute('blob', 'binary', 'binary')
const reference = attribute('link', 'reference', 'reference')
const boolean = attribute('flag', 'boolean', 'boolean')
const tags = attribute('tags', 'string', 'multi-valued simple', { multiValued: true })
const pair = complex('pair', 'complex', [
  attribute('value', 'string', 'value'),
  attribute('secret', 'string', 'writeOnly', { mutability: 'writeOnly', returned: 'never' }),
  attribute('computed', 'string', 'readOnly', { mutability: 'readOnly' }),
])

describe('coerceValue', () => {
  it.for<[AttributeDef, unknown, unknown]>([
    [integer, 3, 3],
    [integer, -7, -7],
    [decimal, 0.5, 0.5],
    [decimal, 2, 2],
    [dateTime, '2024-05-01T12:00:00Z', '2024-05-01T12:00:00Z'],
    [dateTime, '2024-05-01T12:00:00.123+02:00', '2024-05-01T12:00:00.123+02:00'],
    [dateTime, '2024-05-01T12:00:00', '2024-05-01T12:00:00'],
    [binary, 'TUlJQw==', 'TUlJQw=='],
    [reference, 'https://example.com/u/1', 'https://example.com/u/1'],
    [boolean, true, true],
    [boolean, 'true', true],
    [boolean, 'False', false],
    [tags, 'a', ['a']],
    [tags, ['a', null, 'b'], ['a', 'b']],
    [tags, [1, 2], ['1', '2']],
    [pair, { VALUE: 'v', Secret: 's', computed: 'c' }, { value: 'v' }],
    [pair, 'v', { value: 'v' }],
    [pair, [{ value: 'v' }], { value: 'v' }],
    [pair, { secret: 's' }, undefined],
    [integer, null, undefined],
    [tags, [], undefined],
    [pair, {}, undefined],
    [tags, [null, []], undefined],
  ])('Should coerce %j given %j to %j', ([def, value, expected], { expect }) => {
    expect(coerceValue(def, value, def.name)).toStrictEqual(expected)
  })

  it.for<[AttributeDef, unknown, string]>([
    [integer, 3.5, 'Attribute "count" must be an integer'],
    [integer, '3', 'Attribute "count" must be an integer'],
    [decimal, '0.5', 'Attribute "ratio" must be a number'],
    [decimal, Number.NaN, 'Attribute "ratio" must be a number'],
    [dateTime, '2024-05-01', 'Attribute "born" must be a dateTime such as "2024-05-01T12:00:00Z"'],
    [dateTime, 'yesterday', 'Attribute "born" must be a dateTime such as "2024-05-01T12:00:00Z"'],
    [
      dateTime,
      '2024-13-45T12:00:00Z',
      'Attribute "born" must be a dateTime such as "2024-05-01T12:00:00Z"',
    ],
    [dateTime, 1714564800000, 'Attribute "born" must be a dateTime such as "2024-05-01T12:00:00Z"'],
    [binary, 5, 'Attribute "blob" must be a string'],
    [reference, 5, 'Attribute "link" must be a string'],
    [boolean, 'yes', 'Attribute "flag" must be a boolean (true or false)'],
    [tags, [true], 'Attribute "tags[0]" must be a string'],
    [pair, 5, 'Attribute "pair" must be an object'],
    [pair, { value: [1] }, 'Attribute "pair.value" must be a string'],
  ])('Should reject %j given %j', ([def, value, detail], { expect }) => {
    expect(catchScimError(() => coerceValue(def, value, def.name))).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail,
    })
  })
})

describe('canonicalizeAttributes', () => {
  it('Should let a later key win over an earlier one spelled differently', ({ expect }) => {
    expect(
      canonicalizeAttributes([integer, decimal], { count: 1, COUNT: 2, ratio: 1, Ratio: null }, '')
    ).toStrictEqual({ count: 2 })
  })

  it('Should name extension attributes after their URN in errors', ({ expect }) => {
    expect(
      catchScimError(() => canonicalizeAttributes([integer], { count: 'x' }, 'urn:x:2.0:User:'))
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Attribute "urn:x:2.0:User:count" must be an integer',
    })
  })
})

describe('isUnassigned', () => {
  it.for<[unknown, boolean]>([
    [undefined, true],
    [null, true],
    [[], true],
    [{}, true],
    ['', false],
    [0, false],
    [false, false],
    [[null], false],
  ])('Should say %j is unassigned=%s (RFC 7643 §2.5)', ([value, expected], { expect }) => {
    expect(isUnassigned(value)).toBe(expected)
  })
})
