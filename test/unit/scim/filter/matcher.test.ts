import { describe, it } from 'vitest'
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../../../src/scim/constants'
import type { AttrPath, CompareOp, Filter, FilterValue } from '../../../../src/scim/filter/ast'
import { matchesElement, matchesFilter } from '../../../../src/scim/filter/matcher'
import {
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  resolverFor,
  type AttributeDef,
} from '../../../../src/scim/schemas'
import { attribute } from '../../../../src/scim/schemas/define'
import type { ResourceTypeDef } from '../../../../src/scim/schemas/resource-types'
import { catchScimError } from '../schemas/catch-scim-error'

/** `emails.value`, `urn:...:User:manager.value` → AttrPath (what the parser produces). */
function path(text: string): AttrPath {
  const cut = text.startsWith('urn:') ? text.lastIndexOf(':') : -1
  const [name = '', sub] = text.slice(cut + 1).split('.')
  const p: AttrPath = cut < 0 ? { name } : { urn: text.slice(0, cut), name }
  if (sub !== undefined) p.sub = sub
  return p
}
const cmp = (p: string, op: CompareOp, value: FilterValue): Filter => ({
  kind: 'compare',
  path: path(p),
  op,
  value,
})
const pr = (p: string): Filter => ({ kind: 'present', path: path(p) })
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right })
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right })
const not = (filter: Filter): Filter => ({ kind: 'not', filter })
const vp = (p: string, filter: Filter): Filter => ({ kind: 'valuePath', path: path(p), filter })

const ENT = ENTERPRISE_USER_SCHEMA
const USER = {
  userName: 'Ada@Example.com',
  externalId: 'ExT-1',
  displayName: 'Ada Lovelace',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  [ENT]: { employeeNumber: '701984', manager: { value: 'm-1' } },
  [ACTIVTRAK_USER_SCHEMA]: { userPrincipalNames: [{ value: 'ADA@corp.example' }], tracking: false },
}
const resolveUser = resolverFor(USER_RESOURCE_TYPE)

/** A resource type with one attribute of each type, for the operator × type table. */
const TYPES: ResourceTypeDef = {
  name: 'Typed',
  endpoint: '/Typed',
  description: 'test',
  schema: {
    id: 'urn:ietf:params:scim:schemas:core:2.0:Typed',
    name: 'Typed',
    description: 'test',
    attributes: [
      attribute('label', 'string', 'case-insensitive string'),
      attribute('code', 'string', 'case-exact string', { caseExact: true }),
      attribute('link', 'reference', 'reference'),
      attribute('score', 'integer', 'integer'),
      attribute('ratio', 'decimal', 'decimal'),
      attribute('born', 'dateTime', 'dateTime'),
      attribute('flag', 'boolean', 'boolean'),
      attribute('blob', 'binary', 'binary'),
      attribute('tags', 'string', 'multi-valued simple', { multiValued: true }),
    ],
  },
  schemaExtensions: [],
}
const TYPED = {
  label: 'Hello World',
  code: 'AbC',
  link: 'https://Example.com/x',
  score: 42,
  ratio: 0.5,
  born: '2024-01-01T10:00:00Z',
  flag: false,
  blob: 'QUJD',
  tags: ['Blue', 'green'],
}
const resolveTyped = resolverFor(TYPES)

describe('matchesFilter: operators × types', () => {
  it.for<[string, CompareOp, FilterValue, boolean]>([
    ['label', 'eq', 'hello world', true],
    ['label', 'eq', 'Hello', false],
    ['label', 'ne', 'HELLO WORLD', false],
    ['label', 'ne', 'x', true],
    ['label', 'co', 'LO WO', true],
    ['label', 'co', 'xyz', false],
    ['label', 'sw', 'HELLO', true],
    ['label', 'sw', 'World', false],
    ['label', 'ew', 'WORLD', true],
    ['label', 'ew', '', true],
    ['label', 'gt', 'hello', true],
    ['label', 'gt', 'HELLO WORLD', false],
    ['label', 'ge', 'HELLO WORLD', true],
    ['label', 'lt', 'i', true],
    ['label', 'lt', 'hello', false],
    ['label', 'le', 'HELLO WORLD', true],
    ['code', 'eq', 'AbC', true],
    ['code', 'eq', 'abc', false],
    ['code', 'ne', 'abc', true],
    ['code', 'co', 'bC', true],
    ['code', 'co', 'BC', false],
    ['code', 'sw', 'a', false],
    ['code', 'ew', 'C', true],
    ['code', 'gt', 'AbB', true],
    ['code', 'lt', 'abc', true],
    ['link', 'eq', 'https://example.com/X', true],
    ['link', 'sw', 'HTTPS://', true],
    ['score', 'eq', 42, true],
    ['score', 'ne', 42, false],
    ['score', 'gt', 41, true],
    ['score', 'gt', 42, false],
    ['score', 'ge', 42, true],
    ['score', 'lt', 42, false],
    ['score', 'le', 43, true],
    ['ratio', 'gt', 0.25, true],
    ['ratio', 'lt', 0.25, false],
    ['ratio', 'eq', 0.5, true],
    ['born', 'eq', '2024-01-01T12:00:00+02:00', true],
    ['born', 'ne', '2024-01-01T10:00:00.000Z', false],
    ['born', 'gt', '2023-12-31T23:59:59Z', true],
    ['born', 'gt', '2024-01-01T11:00:00+02:00', true],
    ['born', 'lt', '2024-01-01T11:00:00+02:00', false],
    ['born', 'ge', '2024-01-01T10:00:00Z', true],
    ['born', 'le', '2024-01-01T09:59:59Z', false],
    ['flag', 'eq', false, true],
    ['flag', 'eq', true, false],
    ['flag', 'eq', 'False', true],
    ['flag', 'ne', true, true],
    ['flag', 'ne', 'FALSE', false],
    ['blob', 'eq', 'QUJD', true],
    ['blob', 'eq', 'qujd', false],
    ['blob', 'co', 'UJ', true],
    ['blob', 'sw', 'qu', false],
    ['tags', 'eq', 'blue', true],
    ['tags', 'co', 'REE', true],
    ['tags', 'eq', 'red', false],
  ])('Should evaluate %s %s %j as %s', ([attr, op, value, expected], { expect }) => {
    expect(matchesFilter(cmp(attr, op, value), TYPED, resolveTyped)).toBe(expected)
  })

  it.for<[string, CompareOp, FilterValue, string]>([
    ['flag', 'gt', true, 'Operator "gt" cannot be used on boolean "flag"'],
    ['flag', 'le', false, 'Operator "le" cannot be used on boolean "flag"'],
    ['blob', 'ge', 'QUJD', 'Operator "ge" cannot be used on binary "blob"'],
    ['blob', 'lt', 'QUJD', 'Operator "lt" cannot be used on binary "blob"'],
    ['flag', 'co', 'true', 'Operator "co" is only for strings; "flag" is boolean'],
    ['score', 'sw', '4', 'Operator "sw" is only for strings; "score" is integer'],
    ['born', 'ew', 'Z', 'Operator "ew" is only for strings; "born" is dateTime'],
    ['flag', 'eq', 'yes', '"flag" is boolean; "yes" is not a boolean value'],
    ['flag', 'eq', 1, '"flag" is boolean; 1 is not a boolean value'],
    ['score', 'eq', '42', '"score" is integer; "42" is not a integer value'],
    ['ratio', 'gt', true, '"ratio" is decimal; true is not a decimal value'],
    ['born', 'gt', 'yesterday', '"born" is dateTime; "yesterday" is not a dateTime value'],
    ['label', 'eq', true, '"label" is string; true is not a string value'],
    ['label', 'gt', null, 'Operator "gt" cannot compare "label" with null'],
    ['label', 'co', null, 'Operator "co" cannot compare "label" with null'],
  ])('Should reject %s %s %j with 400 invalidFilter', ([attr, op, value, detail], { expect }) => {
    // An empty document: the error must not depend on the data.
    expect(catchScimError(() => matchesFilter(cmp(attr, op, value), {}, resolveTyped))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
      detail,
    })
  })

  it('Should accept a number for a string attribute (employeeNumber eq 701984)', ({ expect }) => {
    expect(matchesFilter(cmp(`${ENT}:employeeNumber`, 'eq', 701984), USER, resolveUser)).toBe(true)
  })
})

describe('matchesFilter: User attributes', () => {
  it.for<[string, Filter, boolean]>([
    ['userName, case-insensitive', cmp('userName', 'eq', 'ada@EXAMPLE.com'), true],
    [
      'userName by URN, any case',
      cmp('urn:ietf:params:scim:schemas:core:2.0:user:USERNAME', 'eq', 'ada@example.com'),
      true,
    ],
    ['externalId, case-insensitive in this service', cmp('externalId', 'eq', 'ext-1'), true],
    ['a sub-attribute', cmp('name.givenName', 'eq', 'ADA'), true],
    ['a sub-attribute that differs', cmp('name.familyName', 'sw', 'X'), false],
    ['an absent attribute', cmp('title', 'eq', 'x'), false],
    ['ne on an absent attribute', cmp('title', 'ne', 'x'), true],
    ['eq null on an absent attribute', cmp('title', 'eq', null), true],
    ['ne null on an absent attribute', cmp('title', 'ne', null), false],
    ['eq null on a present attribute', cmp('userName', 'eq', null), false],
    ['ne null on a present attribute', cmp('userName', 'ne', null), true],
    ['a boolean', cmp('active', 'eq', true), true],
    ['an extension attribute', cmp(`${ENT}:employeeNumber`, 'eq', '701984'), true],
    ['an extension sub-attribute', cmp(`${ENT}:manager.value`, 'eq', 'M-1'), true],
    [
      'an extension multi-valued value',
      cmp(`${ACTIVTRAK_USER_SCHEMA}:userPrincipalNames.value`, 'eq', 'ada@CORP.example'),
      true,
    ],
    ['an extension boolean', cmp(`${ACTIVTRAK_USER_SCHEMA}:tracking`, 'eq', false), true],
    ['any element matches (second)', cmp('emails.value', 'eq', 'ADA@HOME.EXAMPLE'), true],
    ['no element matches', cmp('emails.value', 'eq', 'nobody@example.com'), false],
    ['a multi-valued attribute compares its value', cmp('emails', 'co', 'work.example'), true],
    ['ne is true when some element differs', cmp('emails.value', 'ne', 'ada@work.example'), true],
    ['ne on an absent multi-valued attribute', cmp('phoneNumbers.value', 'ne', 'x'), false],
    ['primary of any element', cmp('emails.primary', 'eq', true), true],
    [
      'and across elements (no same-element rule)',
      and(cmp('emails.type', 'eq', 'work'), cmp('emails.value', 'co', 'home')),
      true,
    ],
    [
      'value path: same element required',
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', 'home'))),
      false,
    ],
    [
      'value path: one element satisfies all',
      vp('emails', and(cmp('type', 'eq', 'HOME'), cmp('value', 'co', 'home'))),
      true,
    ],
    [
      'value path with or',
      vp('emails', or(cmp('type', 'eq', 'other'), cmp('primary', 'eq', true))),
      true,
    ],
    ['value path with not', vp('emails', not(cmp('type', 'eq', 'work'))), true],
    ['value path on an absent attribute', vp('phoneNumbers', cmp('type', 'eq', 'work')), false],
    [
      'value path on an extension',
      vp(`${ACTIVTRAK_USER_SCHEMA}:userPrincipalNames`, cmp('value', 'ew', 'CORP.EXAMPLE')),
      true,
    ],
    ['not of a value path', not(vp('emails', cmp('type', 'eq', 'work'))), false],
    ['or', or(cmp('userName', 'eq', 'x'), cmp('displayName', 'sw', 'ada')), true],
    ['and', and(cmp('userName', 'eq', 'x'), cmp('displayName', 'sw', 'ada')), false],
    ['not', not(cmp('active', 'eq', false)), true],
  ])('Should evaluate %s', ([, filter, expected], { expect }) => {
    expect(matchesFilter(filter, USER, resolveUser)).toBe(expected)
  })

  it.for<[string, unknown, boolean]>([
    ['a string', 'Ada', true],
    ['an empty string', '', false],
    ['null', null, false],
    ['false', false, true],
    ['0', 0, true],
    ['an empty array', [], false],
    ['an empty object', {}, false],
    ['an object', { givenName: 'Ada' }, true],
  ])('Should treat %s as present=%s', ([, value, expected], { expect }) => {
    const attr = Array.isArray(value)
      ? 'emails'
      : typeof value === 'object' && value !== null
        ? 'name'
        : typeof value === 'boolean'
          ? 'active'
          : 'displayName'
    expect(matchesFilter(pr(attr), { [attr]: value }, resolveUser)).toBe(expected)
    expect(matchesFilter(pr(attr), {}, resolveUser)).toBe(false)
  })

  it.for<[string, Filter, boolean]>([
    ['a multi-valued attribute with elements', pr('emails'), true],
    ['a sub-attribute some element has', pr('emails.primary'), true],
    ['a sub-attribute no element has', pr('emails.display'), false],
    ['an absent multi-valued attribute', pr('phoneNumbers'), false],
    ['a complex attribute', pr('name'), true],
    ['a sub-attribute of a complex attribute', pr('name.middleName'), false],
    ['an extension attribute', pr(`${ENT}:manager`), true],
    ['a bracketed sub-attribute', vp('emails', pr('primary')), true],
  ])('Should answer pr on %s', ([, filter, expected], { expect }) => {
    expect(matchesFilter(filter, USER, resolveUser)).toBe(expected)
  })

  it.for<[string, Filter, string]>([
    ['an unknown attribute', cmp('nope', 'eq', 'x'), 'Unknown attribute "nope" in filter'],
    [
      'an extension attribute without URN',
      cmp('employeeNumber', 'eq', '1'),
      'Unknown attribute "employeeNumber" in filter',
    ],
    [
      'an unknown sub-attribute',
      cmp('name.nope', 'eq', 'x'),
      'Unknown attribute "name.nope" in filter',
    ],
    [
      'an unknown attribute on the right of or',
      or(pr('userName'), pr('nope')),
      'Unknown attribute "nope" in filter',
    ],
    [
      'a comparison on a complex attribute',
      cmp('name', 'eq', 'Ada'),
      '"name" is complex: filter on one of its sub-attributes',
    ],
    [
      'a multi-valued attribute without value',
      cmp('addresses', 'eq', 'x'),
      'Unknown attribute "addresses.value" in filter',
    ],
    [
      'brackets on a singular attribute',
      vp('name', cmp('givenName', 'eq', 'Ada')),
      '"name" is not multi-valued; brackets need a multi-valued attribute',
    ],
    [
      'an unknown bracketed attribute',
      vp('emails', cmp('nope', 'eq', 'x')),
      'Unknown attribute "emails.nope" in filter',
    ],
    [
      'a URN inside brackets',
      vp('emails', cmp('urn:x:type', 'eq', 'x')),
      'Unknown attribute "emails.urn:x:type" in filter',
    ],
    [
      'nested brackets',
      vp('emails', vp('emails', pr('value'))),
      'A value filter cannot contain another value filter',
    ],
    [
      'ordering on a boolean',
      cmp('active', 'gt', false),
      'Operator "gt" cannot be used on boolean "active"',
    ],
    [
      'ordering on a binary sub-attribute',
      cmp('x509Certificates.value', 'lt', 'x'),
      'Operator "lt" cannot be used on binary "x509Certificates.value"',
    ],
  ])('Should reject %s with 400 invalidFilter', ([, filter, detail], { expect }) => {
    expect(catchScimError(() => matchesFilter(filter, USER, resolveUser))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
      detail,
    })
  })
})

describe('matchesElement', () => {
  const members = GROUP_RESOURCE_TYPE.schema.attributes.find((a) => a.name === 'members')
  const tags = TYPES.schema.attributes.find((a) => a.name === 'tags')
  const need = (d: AttributeDef | undefined): AttributeDef => {
    if (!d) throw new Error('missing definition')
    return d
  }

  it.for<[string, Filter, unknown, boolean]>([
    [
      'a member by id, case-insensitively',
      cmp('value', 'eq', 'ABC'),
      { value: 'abc', type: 'User' },
      true,
    ],
    ['another member', cmp('value', 'eq', 'abd'), { value: 'abc', type: 'User' }, false],
    [
      'two sub-attributes of one element',
      and(cmp('value', 'eq', 'abc'), cmp('TYPE', 'eq', 'user')),
      { value: 'abc', type: 'User' },
      true,
    ],
    ['pr on an absent sub-attribute', pr('display'), { value: 'abc' }, false],
    ['eq null on an absent sub-attribute', cmp('display', 'eq', null), { value: 'abc' }, true],
    ['a non-object element', cmp('value', 'eq', 'abc'), 'abc', false],
  ])('Should match %s in a complex element', ([, filter, element, expected], { expect }) => {
    expect(matchesElement(filter, element, need(members))).toBe(expected)
  })

  it.for<[Filter, unknown, boolean]>([
    [cmp('value', 'eq', 'blue'), 'Blue', true],
    [cmp('VALUE', 'sw', 'gr'), 'green', true],
    [cmp('value', 'eq', 'blue'), 'green', false],
    [pr('value'), '', false],
  ])(
    'Should use a simple element itself as value: %j on %j',
    ([filter, element, expected], { expect }) => {
      expect(matchesElement(filter, element, need(tags))).toBe(expected)
    }
  )

  it.for<[Filter, AttributeDef | undefined, string]>([
    [cmp('nope', 'eq', 'x'), members, 'Unknown attribute "members.nope" in filter'],
    [cmp('value.x', 'eq', 'x'), members, 'Unknown attribute "members.value.x" in filter'],
    [
      cmp('display', 'gt', null),
      members,
      'Operator "gt" cannot compare "members.display" with null',
    ],
    [cmp('type', 'eq', 'x'), tags, 'Unknown attribute "tags.type" in filter'],
    [vp('members', pr('value')), members, 'A value filter cannot contain another value filter'],
  ])('Should reject %j with 400 invalidFilter', ([filter, parent, detail], { expect }) => {
    expect(catchScimError(() => matchesElement(filter, 'x', need(parent)))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
      detail,
    })
  })
})
