import { describe, it } from 'vitest'
import type { CompareOp, Filter } from '../../../../src/scim/filter/ast'
import { parseFilter } from '../../../../src/scim/filter/parser'
import { ACTIVTRAK, CORE_USER, ENTERPRISE, and, at, cmp, not, or, pr, urnAt, vp } from './builders'

const OPS: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']
const [a1, b2, c3] = [cmp('a', 'eq', 1), cmp('b', 'eq', 2), cmp('c', 'eq', 3)]

type Case = [string, Filter]

const OPERATORS: Case[] = [
  ...OPS.map((op): Case => [`title ${op} "x"`, cmp('title', op, 'x')]),
  ['title pr', pr('title')],
]

const PRECEDENCE: Case[] = [
  ['a eq 1 or b eq 2 and c eq 3', or(a1, and(b2, c3))],
  ['a eq 1 and b eq 2 or c eq 3', or(and(a1, b2), c3)],
  ['a eq 1 and b eq 2 and c eq 3', and(and(a1, b2), c3)],
  ['a eq 1 or b eq 2 or c eq 3', or(or(a1, b2), c3)],
  ['(a eq 1 or b eq 2) and c eq 3', and(or(a1, b2), c3)],
  ['a eq 1 and (b eq 2 or c eq 3)', and(a1, or(b2, c3))],
  ['a eq 1 and (b eq 2 and c eq 3)', and(a1, and(b2, c3))],
  ['((a eq 1))', a1],
  ['not (a eq 1) and b eq 2', and(not(a1), b2)],
  ['not (a eq 1 or b eq 2)', not(or(a1, b2))],
  ['b eq 2 or not (a eq 1)', or(b2, not(a1))],
  ['not (not (a eq 1))', not(not(a1))],
]

const WORK = cmp('type', 'eq', 'work')
const VALUE_PATHS: Case[] = [
  ['emails[type eq "work"]', vp('emails', WORK)],
  [
    'emails[type eq "work" and value co "@example.com"]',
    vp('emails', and(WORK, cmp('value', 'co', '@example.com'))),
  ],
  [
    'emails[type eq "work" or not (primary eq true)]',
    vp('emails', or(WORK, not(cmp('primary', 'eq', true)))),
  ],
  [
    'emails[(type eq "work" or type eq "home") and primary eq true]',
    vp('emails', and(or(WORK, cmp('type', 'eq', 'home')), cmp('primary', 'eq', true))),
  ],
  [
    'emails[type eq "work"] and userName sw "a"',
    and(vp('emails', WORK), cmp('userName', 'sw', 'a')),
  ],
  ['not (emails[type eq "work"])', not(vp('emails', WORK))],
  ['members[$ref eq "x"]', vp('members', cmp('$ref', 'eq', 'x'))],
  ['emails[value eq "a]b"]', vp('emails', cmp('value', 'eq', 'a]b'))],
  [
    `${ACTIVTRAK}:userPrincipalNames[value eq "x"]`,
    vp(urnAt(ACTIVTRAK, 'userPrincipalNames'), cmp('value', 'eq', 'x')),
  ],
  // RFC 7644 §3.4.2.2 examples.
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    or(
      vp('emails', and(WORK, cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com')))
    ),
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    and(
      cmp('userType', 'ne', 'Employee'),
      not(or(cmp('emails', 'co', 'example.com'), cmp(at('emails', 'value'), 'co', 'example.org')))
    ),
  ],
]

/** `attr[filter].sub op value` folds the comparison into the brackets (same element). */
const FOLDED: Case[] = [
  [
    'emails[type eq "work"].value eq "a@b.com"',
    vp('emails', and(WORK, cmp('value', 'eq', 'a@b.com'))),
  ],
  ['emails[type eq "work"].value pr', vp('emails', and(WORK, pr('value')))],
  ['emails[type eq "work"] .value PR', vp('emails', and(WORK, pr('value')))],
  [
    'emails[type eq "work" and primary eq true].value eq "x"',
    vp('emails', and(and(WORK, cmp('primary', 'eq', true)), cmp('value', 'eq', 'x'))),
  ],
  [
    'emails[type eq "work" or type eq "home"].value sw "a"',
    vp('emails', and(or(WORK, cmp('type', 'eq', 'home')), cmp('value', 'sw', 'a'))),
  ],
  [
    'emails[type eq "work"].value eq "x" or userName eq "y"',
    or(vp('emails', and(WORK, cmp('value', 'eq', 'x'))), cmp('userName', 'eq', 'y')),
  ],
  ['members[type eq "User"].$ref pr', vp('members', and(cmp('type', 'eq', 'User'), pr('$ref')))],
]

const PATHS: Case[] = [
  [
    `${ENTERPRISE}:employeeNumber eq "701984"`,
    cmp(urnAt(ENTERPRISE, 'employeeNumber'), 'eq', '701984'),
  ],
  [
    `${CORE_USER}:name.givenName eq "Barbara"`,
    cmp(urnAt(CORE_USER, 'name', 'givenName'), 'eq', 'Barbara'),
  ],
  [`${CORE_USER}:userName sw "J"`, cmp(urnAt(CORE_USER, 'userName'), 'sw', 'J')],
  [`${ENTERPRISE}:manager.value eq "m-1"`, cmp(urnAt(ENTERPRISE, 'manager', 'value'), 'eq', 'm-1')],
  [`${ACTIVTRAK}.userPrincipalNames pr`, pr(urnAt(ACTIVTRAK, 'userPrincipalNames'))],
  [`${ENTERPRISE}.manager.value eq "m"`, cmp(urnAt(ENTERPRISE, 'manager', 'value'), 'eq', 'm')],
  [
    'URN:IETF:params:scim:schemas:extension:enterprise:2.0:user:EmployeeNumber pr',
    pr(urnAt('URN:IETF:params:scim:schemas:extension:enterprise:2.0:user', 'EmployeeNumber')),
  ],
  ['urn:acme:scim:1.0:badge-id eq 7', cmp(urnAt('urn:acme:scim:1.0', 'badge-id'), 'eq', 7)],
  ['name.familyName co "O\'Malley"', cmp(at('name', 'familyName'), 'co', "O'Malley")],
  ['members.$ref eq "https://x/Users/1"', cmp(at('members', '$ref'), 'eq', 'https://x/Users/1')],
  [
    'meta.lastModified gt "2011-05-13T04:42:34Z"',
    cmp(at('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z'),
  ],
  ['x-attr_1 eq 1', cmp('x-attr_1', 'eq', 1)],
  ['USERNAME eq "a"', cmp('USERNAME', 'eq', 'a')],
]

const STRINGS: Case[] = [
  ['a eq ""', cmp('a', 'eq', '')],
  ['a eq "q\\"b"', cmp('a', 'eq', 'q"b')],
  ['a eq "back\\\\slash"', cmp('a', 'eq', 'back\\slash')],
  ['a eq "\\/\\b\\f\\n\\r\\t"', cmp('a', 'eq', '/\b\f\n\r\t')],
  ['a eq "\\u00e9\\u00C9"', cmp('a', 'eq', 'éÉ')],
  ['a eq "\\ud83d\\ude00"', cmp('a', 'eq', '😀')],
  ['a eq "日本 😀"', cmp('a', 'eq', '日本 😀')],
  ['a eq "x) or (b pr"', cmp('a', 'eq', 'x) or (b pr')],
  ['a eq "tab\there"', cmp('a', 'eq', 'tab\there')],
]

const NUMBERS_AND_LITERALS: Case[] = [
  ['a eq 0', cmp('a', 'eq', 0)],
  ['a eq 42', cmp('a', 'eq', 42)],
  ['a eq -7', cmp('a', 'eq', -7)],
  ['a eq -0', cmp('a', 'eq', 0)],
  ['a gt 1.5', cmp('a', 'gt', 1.5)],
  ['a lt -2.25', cmp('a', 'lt', -2.25)],
  ['a eq 1e3', cmp('a', 'eq', 1000)],
  ['a eq 1E+3', cmp('a', 'eq', 1000)],
  ['a eq 2.5e-3', cmp('a', 'eq', 0.0025)],
  ['a eq 12345678901234', cmp('a', 'eq', 12345678901234)],
  ['a eq true', cmp('a', 'eq', true)],
  ['a eq false', cmp('a', 'eq', false)],
  ['a eq null', cmp('a', 'eq', null)],
  ['a eq TRUE', cmp('a', 'eq', true)],
  ['a eq False', cmp('a', 'eq', false)],
  ['a eq NULL', cmp('a', 'eq', null)],
  ['a eq "true"', cmp('a', 'eq', 'true')],
  ['a eq "1"', cmp('a', 'eq', '1')],
]

/** Unquoted values are strings (Microsoft's docs show `externalId eq jyoung`). */
const BARE_WORDS: Case[] = [
  ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
  [
    'externalId eq 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    cmp('externalId', 'eq', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'),
  ],
  ['a eq 1.2.3', cmp('a', 'eq', '1.2.3')],
  ['a eq 01', cmp('a', 'eq', '01')],
  ['a eq truex', cmp('a', 'eq', 'truex')],
  ['a eq x and b pr', and(cmp('a', 'eq', 'x'), pr('b'))],
]

const KEYWORD_CASE: Case[] = [
  ['userName EQ "x"', cmp('userName', 'eq', 'x')],
  ['a Eq 1 AND b pR OR c Pr', or(and(a1, pr('b')), pr('c'))],
  ['NOT (a pr)', not(pr('a'))],
  ['a pr anD b Gt 2', and(pr('a'), cmp('b', 'gt', 2))],
]

const WHITESPACE: Case[] = [
  ['  userName   eq\t"x"  ', cmp('userName', 'eq', 'x')],
  ['userName eq"x"', cmp('userName', 'eq', 'x')],
  ['(a pr)and(b pr)', and(pr('a'), pr('b'))],
  ['not(a pr)', not(pr('a'))],
  ['a pr\r\nor\nb pr', or(pr('a'), pr('b'))],
  ['emails [ type eq "work" ]', vp('emails', WORK)],
  ['a\u00a0eq\u00a01', a1],
]

/** Filters captured from real identity providers. */
const IDP: Case[] = [
  [
    'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"',
    cmp('userName', 'eq', 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081'),
  ],
  [
    'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
    cmp('externalId', 'eq', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'),
  ],
  [
    'emails[type eq "work"].value eq "a@b.com"',
    vp('emails', and(WORK, cmp('value', 'eq', 'a@b.com'))),
  ],
  ['displayName eq "Group 1"', cmp('displayName', 'eq', 'Group 1')],
  [
    `${ENTERPRISE}:employeeNumber eq "701984"`,
    cmp(urnAt(ENTERPRISE, 'employeeNumber'), 'eq', '701984'),
  ],
  ['userName eq "test.user@okta.local"', cmp('userName', 'eq', 'test.user@okta.local')],
]

describe('parseFilter', () => {
  const tables: [string, Case[]][] = [
    ['every operator', OPERATORS],
    ['precedence, not and parentheses', PRECEDENCE],
    ['value paths', VALUE_PATHS],
    ['a comparison after a value path', FOLDED],
    ['attribute paths', PATHS],
    ['strings', STRINGS],
    ['numbers and literals', NUMBERS_AND_LITERALS],
    ['bare-word values', BARE_WORDS],
    ['keywords in any case', KEYWORD_CASE],
    ['extra whitespace', WHITESPACE],
    ['identity provider filters', IDP],
  ]
  describe.for(tables)('%s', ([, cases]) => {
    it.for(cases)('Should parse %s', ([text, expected], { expect }) => {
      expect(parseFilter(text)).toStrictEqual(expected)
    })
  })
})
