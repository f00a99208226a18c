import { describe, it } from 'vitest'
import {
  ACTIVTRAK_USER_SCHEMA,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
} from '../../../../src/scim/constants'
import type { AttrPath } from '../../../../src/scim/filter/ast'
import {
  ALL_SCHEMAS,
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  resolverFor,
  type AttributeDef,
} from '../../../../src/scim/schemas'

const user = resolverFor(USER_RESOURCE_TYPE)
const group = resolverFor(GROUP_RESOURCE_TYPE)
const def = (resolve: typeof user, path: AttrPath) => {
  const r = resolve(path)
  return r?.sub ?? r?.attr
}

describe('schema catalog', () => {
  it.for<[string, typeof user, AttrPath, Partial<AttributeDef>]>([
    [
      'userName',
      user,
      { name: 'userName' },
      {
        type: 'string',
        required: true,
        caseExact: false,
        uniqueness: 'server',
        mutability: 'readWrite',
      },
    ],
    [
      'id',
      user,
      { name: 'id' },
      { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
    ],
    [
      'externalId (case-insensitive here)',
      user,
      { name: 'externalId' },
      { caseExact: false, mutability: 'readWrite', returned: 'default' },
    ],
    [
      'meta',
      user,
      { name: 'meta' },
      { type: 'complex', mutability: 'readOnly', returned: 'always' },
    ],
    [
      'meta.lastModified',
      user,
      { name: 'meta', sub: 'lastModified' },
      { type: 'dateTime', mutability: 'readOnly' },
    ],
    [
      'meta.location',
      user,
      { name: 'meta', sub: 'location' },
      { type: 'reference', caseExact: true },
    ],
    ['active', user, { name: 'active' }, { type: 'boolean', multiValued: false }],
    ['password', user, { name: 'password' }, { mutability: 'writeOnly', returned: 'never' }],
    [
      'profileUrl',
      user,
      { name: 'profileUrl' },
      { type: 'reference', referenceTypes: ['external'] },
    ],
    ['emails', user, { name: 'emails' }, { type: 'complex', multiValued: true }],
    [
      'emails.type',
      user,
      { name: 'emails', sub: 'type' },
      { canonicalValues: ['work', 'home', 'other'] },
    ],
    ['emails.primary', user, { name: 'emails', sub: 'primary' }, { type: 'boolean' }],
    [
      'phoneNumbers.type',
      user,
      { name: 'phoneNumbers', sub: 'type' },
      { canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] },
    ],
    [
      'photos.value',
      user,
      { name: 'photos', sub: 'value' },
      { type: 'reference', referenceTypes: ['external'] },
    ],
    ['addresses.primary', user, { name: 'addresses', sub: 'primary' }, { type: 'boolean' }],
    ['groups', user, { name: 'groups' }, { multiValued: true, mutability: 'readOnly' }],
    [
      'groups.$ref',
      user,
      { name: 'groups', sub: '$ref' },
      { type: 'reference', mutability: 'readOnly', referenceTypes: ['User', 'Group'] },
    ],
    [
      'x509Certificates.value',
      user,
      { name: 'x509Certificates', sub: 'value' },
      { type: 'binary' },
    ],
    [
      'employeeNumber',
      user,
      { urn: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' },
      { type: 'string', caseExact: false },
    ],
    [
      'manager',
      user,
      { urn: ENTERPRISE_USER_SCHEMA, name: 'manager' },
      { type: 'complex', multiValued: false },
    ],
    [
      'manager.$ref',
      user,
      { urn: ENTERPRISE_USER_SCHEMA, name: 'manager', sub: '$ref' },
      { referenceTypes: ['User'] },
    ],
    [
      'manager.displayName',
      user,
      { urn: ENTERPRISE_USER_SCHEMA, name: 'manager', sub: 'displayName' },
      { mutability: 'readOnly' },
    ],
    [
      'userPrincipalNames',
      user,
      { urn: ACTIVTRAK_USER_SCHEMA, name: 'userPrincipalNames' },
      { type: 'complex', multiValued: true },
    ],
    [
      'userPrincipalNames.value',
      user,
      { urn: ACTIVTRAK_USER_SCHEMA, name: 'userPrincipalNames', sub: 'value' },
      { type: 'string', caseExact: false },
    ],
    ['tracking', user, { urn: ACTIVTRAK_USER_SCHEMA, name: 'tracking' }, { type: 'boolean' }],
    [
      'Group displayName',
      group,
      { name: 'displayName' },
      { required: true, uniqueness: 'server', caseExact: false },
    ],
    [
      'members',
      group,
      { name: 'members' },
      { type: 'complex', multiValued: true, mutability: 'readWrite' },
    ],
    [
      'members.value',
      group,
      { name: 'members', sub: 'value' },
      { type: 'string', mutability: 'immutable' },
    ],
    [
      'members.$ref',
      group,
      { name: 'members', sub: '$ref' },
      { type: 'reference', mutability: 'immutable' },
    ],
    [
      'members.type',
      group,
      { name: 'members', sub: 'type' },
      { canonicalValues: ['User'], mutability: 'immutable' },
    ],
  ])(
    'Should define %s as RFC 7643 and this service say',
    ([, resolve, path, expected], { expect }) => {
      expect(def(resolve, path)).toMatchObject(expected)
    }
  )

  it('Should list the User attributes of RFC 7643 §4.1 in order', ({ expect }) => {
    expect(USER_RESOURCE_TYPE.schema.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ])
  })

  it('Should give name, addresses and the enterprise extension their sub-attributes', ({
    expect,
  }) => {
    const subs = (path: AttrPath) => user(path)?.attr.subAttributes?.map((s) => s.name)
    expect(subs({ name: 'name' })).toEqual([
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ])
    expect(subs({ name: 'addresses' })).toEqual([
      'formatted',
      'streetAddress',
      'locality',
      'region',
      'postalCode',
      'country',
      'type',
      'primary',
    ])
    expect(subs({ name: 'emails' })).toEqual(['value', 'display', 'type', 'primary'])
    expect(subs({ name: 'groups' })).toEqual(['value', '$ref', 'display', 'type'])
    expect(subs({ urn: ENTERPRISE_USER_SCHEMA, name: 'manager' })).toEqual([
      'value',
      '$ref',
      'displayName',
    ])
    expect(USER_RESOURCE_TYPE.schemaExtensions[0]?.schema.attributes.map((a) => a.name)).toEqual([
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ])
  })

  it('Should serve the four schemas with their URNs', ({ expect }) => {
    expect(ALL_SCHEMAS.map((s) => s.id)).toEqual([
      CORE_USER_SCHEMA,
      CORE_GROUP_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      ACTIVTRAK_USER_SCHEMA,
    ])
  })

  it('Should describe the User and Group resource types', ({ expect }) => {
    expect(USER_RESOURCE_TYPE).toMatchObject({ name: 'User', endpoint: '/Users' })
    expect(USER_RESOURCE_TYPE.schema.id).toBe(CORE_USER_SCHEMA)
    expect(USER_RESOURCE_TYPE.schemaExtensions.map((e) => [e.schema.id, e.required])).toEqual([
      [ENTERPRISE_USER_SCHEMA, false],
      [ACTIVTRAK_USER_SCHEMA, false],
    ])
    expect(GROUP_RESOURCE_TYPE).toMatchObject({
      name: 'Group',
      endpoint: '/Groups',
      schemaExtensions: [],
    })
    expect(GROUP_RESOURCE_TYPE.schema.id).toBe(CORE_GROUP_SCHEMA)
  })

  it('Should keep every definition well-formed', ({ expect }) => {
    const problems: string[] = []
    const check = (defs: readonly AttributeDef[], where: string) => {
      const seen = new Set<string>()
      for (const d of defs) {
        const key = d.name.toLowerCase()
        if (seen.has(key)) problems.push(`${where}: duplicate ${d.name}`)
        seen.add(key)
        if ((d.type === 'complex') !== (d.subAttributes !== undefined))
          problems.push(`${where}.${d.name}: subAttributes iff complex`)
        if (d.subAttributes) check(d.subAttributes, `${where}.${d.name}`)
        if (d.subAttributes?.some((s) => s.subAttributes))
          problems.push(`${where}.${d.name}: nested complex`)
      }
    }
    for (const s of ALL_SCHEMAS) check(s.attributes, s.id)
    expect(problems).toEqual([])
  })
})
