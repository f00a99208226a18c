import { describe, it } from 'vitest'
import type { PatchPath } from '../../../../src/scim/filter/ast'
import { parsePatchPath } from '../../../../src/scim/filter/parser'
import { catchScimError } from '../schemas/catch-scim-error'
import { ACTIVTRAK, ENTERPRISE, and, at, cmp, not, or, urnAt } from './builders'

const WORK = cmp('type', 'eq', 'work')

describe('parsePatchPath', () => {
  it.for<[string, PatchPath]>([
    ['userName', { attr: at('userName') }],
    ['name.givenName', { attr: at('name', 'givenName') }],
    ['members.$ref', { attr: at('members', '$ref') }],
    ['emails[type eq "work"].value', { attr: at('emails'), filter: WORK, sub: 'value' }],
    ['emails[type eq "work"]', { attr: at('emails'), filter: WORK }],
    [
      'members[value eq "2819c223"]',
      { attr: at('members'), filter: cmp('value', 'eq', '2819c223') },
    ],
    [
      'emails[type eq "work" and (primary eq true or not (value pr))].display',
      {
        attr: at('emails'),
        filter: and(
          WORK,
          or(cmp('primary', 'eq', true), not({ kind: 'present', path: at('value') }))
        ),
        sub: 'display',
      },
    ],
    [`${ENTERPRISE}:employeeNumber`, { attr: urnAt(ENTERPRISE, 'employeeNumber') }],
    [`${ENTERPRISE}:manager.value`, { attr: urnAt(ENTERPRISE, 'manager', 'value') }],
    [
      `${ACTIVTRAK}:userPrincipalNames[value eq null].value`,
      {
        attr: urnAt(ACTIVTRAK, 'userPrincipalNames'),
        filter: cmp('value', 'eq', null),
        sub: 'value',
      },
    ],
    [`${ACTIVTRAK}.userPrincipalNames`, { attr: urnAt(ACTIVTRAK, 'userPrincipalNames') }],
    [`${ENTERPRISE}.manager.value`, { attr: urnAt(ENTERPRISE, 'manager', 'value') }],
    [ENTERPRISE, { attr: { urn: ENTERPRISE, name: '' } }],
    [
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      { attr: { urn: 'urn:ietf:params:scim:schemas:core:2.0:Group', name: '' } },
    ],
    ['  emails [ type EQ "work" ] .value ', { attr: at('emails'), filter: WORK, sub: 'value' }],
  ])('Should parse %s', ([text, expected], { expect }) => {
    expect(parsePatchPath(text)).toStrictEqual(expected)
  })

  it.for<[string, string]>([
    ['', 'Invalid path at position 0: the path is empty'],
    [
      'emails[type eq',
      'Invalid path at position 14: expected a value (a "string", number, true, false or null) ' +
        'after "type eq", found the end of the path',
    ],
    ['a b', 'Invalid path at position 2: expected "[" or the end of the path, found "b"'],
    [
      'emails[type eq "work"]value',
      'Invalid path at position 22: expected "." and a sub-attribute, or the end of the path, found "value"',
    ],
    [
      'emails[type eq "work"].value eq "x"',
      'Invalid path at position 29: expected "." and a sub-attribute, or the end of the path, found "eq"',
    ],
    [
      `${ENTERPRISE}[value eq 1]`,
      'Invalid path at position 58: a value filter needs an attribute name, not only a schema URN, found "["',
    ],
    [
      'name.given.family',
      'Invalid path at position 0: "name.given.family" is nested too deep: at most one sub-attribute ' +
        'level (name.sub) is allowed',
    ],
    [
      '$ref',
      'Invalid path at position 0: "$ref" can only name a sub-attribute, as in "members.$ref"',
    ],
    ['(a)', 'Invalid path at position 0: expected an attribute path, found "("'],
    [
      'emails[type eq "work"]]',
      'Invalid path at position 22: unexpected "]" without a matching "["',
    ],
    [
      'emails[a[b pr]]',
      'Invalid path at position 8: nested brackets are not allowed inside a value filter, found "["',
    ],
    [
      'foo:bar',
      'Invalid path at position 0: "foo:bar" is not an attribute path: a schema prefix must be a URN ' +
        'such as "urn:ietf:params:scim:schemas:core:2.0:User:"',
    ],
  ])('Should reject %j with invalidPath', ([text, detail], { expect }) => {
    expect(catchScimError(() => parsePatchPath(text))).toEqual({
      status: 400,
      scimType: 'invalidPath',
      detail,
    })
  })

  const TIGHT = { maxLength: 40, maxDepth: 2, maxNodes: 3 }

  it.for<[string, string]>([
    ['x'.repeat(41), 'it is 41 characters long; the limit is 40 (maxLength)'],
    ['emails[((a pr))]', 'it nests deeper than 2 levels (maxDepth)'],
    ['emails[a pr or b pr or c pr]', 'it has more than 3 expressions (maxNodes)'],
  ])('Should apply the limits to %s with invalidPath', ([text, what], { expect }) => {
    expect(catchScimError(() => parsePatchPath(text, TIGHT))).toEqual({
      status: 400,
      scimType: 'invalidPath',
      detail: `Path is too complex: ${what}`,
    })
  })

  it('Should accept a path at the limits', ({ expect }) => {
    expect(parsePatchPath('emails[(a pr)]', TIGHT)).toStrictEqual({
      attr: at('emails'),
      filter: { kind: 'present', path: at('a') },
    })
  })
})
