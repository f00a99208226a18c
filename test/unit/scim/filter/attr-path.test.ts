import { describe, it } from 'vitest'
import type { Filter, PatchPath } from '../../../../src/scim/filter/ast'
import { splitSchemaPrefix, type SchemaSplit } from '../../../../src/scim/filter/attr-path'
import { parseFilter, parsePatchPath } from '../../../../src/scim/filter/parser'
import { catchScimError } from '../schemas/catch-scim-error'
import { ACTIVTRAK, CORE_USER, ENTERPRISE, and, cmp, urnAt, vp } from './builders'

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'

describe('splitSchemaPrefix', () => {
  it.for<[string, SchemaSplit | undefined]>([
    ['userName', { rest: 'userName' }],
    ['name.givenName', { rest: 'name.givenName' }],
    [`${ENTERPRISE}:manager.value`, { urn: ENTERPRISE, rest: 'manager.value' }],
    [`${ENTERPRISE}:employeeNumber`, { urn: ENTERPRISE, rest: 'employeeNumber' }],
    [`${ACTIVTRAK}:tracking`, { urn: ACTIVTRAK, rest: 'tracking' }],
    [`${ACTIVTRAK}.tracking`, { urn: ACTIVTRAK, rest: 'tracking' }],
    [`${ACTIVTRAK}.userPrincipalNames.value`, { urn: ACTIVTRAK, rest: 'userPrincipalNames.value' }],
    [
      'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ACTIVTRAK:2.0:USER.Tracking',
      { urn: 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ACTIVTRAK:2.0:USER', rest: 'Tracking' },
    ],
    [`${CORE_USER}.name.givenName`, { urn: CORE_USER, rest: 'name.givenName' }],
    [`${GROUP}.members`, { urn: GROUP, rest: 'members' }],
    [ACTIVTRAK, { urn: ACTIVTRAK, rest: '' }],
    [`${ENTERPRISE}:`, { urn: ENTERPRISE, rest: '' }],
    ['http://schemas.microsoft.com/ADSCIM:x', undefined],
  ])('Should split %s', ([text, expected], { expect }) => {
    expect(splitSchemaPrefix(text)).toStrictEqual(expected)
  })
})

describe('The ActivTrak guide’s dotted extension paths', () => {
  const UPN = urnAt(ACTIVTRAK, 'userPrincipalNames')

  it.for<[string, Filter]>([
    [
      `${ACTIVTRAK}.userPrincipalNames[value eq "ada@x.com"]`,
      vp(UPN, cmp('value', 'eq', 'ada@x.com')),
    ],
    [
      `${ACTIVTRAK}.userPrincipalNames.value eq "ada@x.com"`,
      cmp(urnAt(ACTIVTRAK, 'userPrincipalNames', 'value'), 'eq', 'ada@x.com'),
    ],
    [
      `${ACTIVTRAK}.userPrincipalNames[type eq "x"].value eq "ada@x.com"`,
      vp(UPN, and(cmp('type', 'eq', 'x'), cmp('value', 'eq', 'ada@x.com'))),
    ],
    [`${ACTIVTRAK}.tracking eq false`, cmp(urnAt(ACTIVTRAK, 'tracking'), 'eq', false)],
  ])('Should parse the filter %s', ([text, expected], { expect }) => {
    expect(parseFilter(text)).toStrictEqual(expected)
  })

  it.for<[string, PatchPath]>([
    [
      `${ACTIVTRAK}.userPrincipalNames[value eq null].value`,
      { attr: UPN, filter: cmp('value', 'eq', null), sub: 'value' },
    ],
    [`${ACTIVTRAK}.tracking`, { attr: urnAt(ACTIVTRAK, 'tracking') }],
    [`${ENTERPRISE}:manager.value`, { attr: urnAt(ENTERPRISE, 'manager', 'value') }],
  ])('Should parse the PATCH path %s', ([text, expected], { expect }) => {
    expect(parsePatchPath(text)).toStrictEqual(expected)
  })

  it.for<[string, string]>([
    [
      `${ACTIVTRAK}.`,
      `Invalid path at position ${String(ACTIVTRAK.length + 1)}: expected an attribute name after "${ACTIVTRAK}."`,
    ],
    [
      ACTIVTRAK,
      `Invalid path at position ${String(ACTIVTRAK.length)}: expected ":" and an attribute name after the schema URN "${ACTIVTRAK}"`,
    ],
    [
      `${ACTIVTRAK}.a.b.c`,
      `Invalid path at position ${String(ACTIVTRAK.length + 1)}: "a.b.c" is nested too deep: at most one sub-attribute level (name.sub) is allowed`,
    ],
  ])('Should still refuse the filter path %s', ([text, detail], { expect }) => {
    const error = catchScimError(() => parseFilter(`${text} eq 1`))
    expect(error.detail).toBe(detail.replace('Invalid path', 'Invalid filter'))
  })
})
