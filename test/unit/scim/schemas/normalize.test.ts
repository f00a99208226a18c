import { describe, it } from 'vitest'
import {
  ACTIVTRAK_USER_SCHEMA,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
} from '../../../../src/scim/constants'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../../src/scim/schemas'
import { assertRequired, normalizeResource } from '../../../../src/scim/schemas/normalize'
import { catchScimError } from './catch-scim-error'

const ENT = ENTERPRISE_USER_SCHEMA
const AT = ACTIVTRAK_USER_SCHEMA
const user = (body: unknown) => normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'create' })
const group = (body: unknown) => normalizeResource(GROUP_RESOURCE_TYPE, body, { mode: 'replace' })
const invalidValue = (detail: string) => ({ status: 400, scimType: 'invalidValue', detail })

describe('normalizeResource: IdP bodies', () => {
  it('Should accept the Entra ID POST /Users body from its SCIM guide', ({ expect }) => {
    const body = {
      schemas: [CORE_USER_SCHEMA, ENT],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081',
      active: true,
      emails: [
        {
          primary: true,
          type: 'work',
          value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
        },
      ],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    }
    expect(user(body)).toStrictEqual({
      // The enterprise URN is listed but no enterprise attribute is present.
      schemas: [CORE_USER_SCHEMA],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081',
      active: true,
      emails: [
        {
          primary: true,
          type: 'work',
          value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
        },
      ],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    })
  })

  it('Should accept the Okta POST /Users body, dropping password and groups', ({ expect }) => {
    const body = {
      schemas: [CORE_USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    })
  })

  it('Should accept the Entra ID POST /Groups body with its ADSCIM schema URN', ({ expect }) => {
    const body = {
      schemas: [
        CORE_GROUP_SCHEMA,
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
      meta: { resourceType: 'Group' },
    }
    expect(group(body)).toStrictEqual({
      schemas: [CORE_GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
    })
  })

  it('Should accept the Okta POST /Groups body with empty members', ({ expect }) => {
    expect(
      group({ schemas: [CORE_GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] })
    ).toStrictEqual({
      schemas: [CORE_GROUP_SCHEMA],
      displayName: 'Test SCIMv2',
    })
  })

  it('Should accept an older Entra body with nulls and the malformed enterprise URN', ({
    expect,
  }) => {
    const body = {
      schemas: [CORE_USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      userName: 'ada@example.com',
      addresses: null,
      title: null,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0User': { department: 'R&D' },
    }
    expect(user(body)).toStrictEqual({ schemas: [CORE_USER_SCHEMA], userName: 'ada@example.com' })
  })
})

describe('normalizeResource: names and extensions', () => {
  it('Should rewrite attribute names to their canonical spelling, recursively', ({ expect }) => {
    const body = {
      USERNAME: 'ada',
      Name: { GivenName: 'Ada', FAMILYNAME: 'Lovelace' },
      EMAILS: [{ Value: 'ada@example.com', TYPE: 'work', Primary: 'True' }],
      ExternalID: 'x1',
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      externalId: 'x1',
    })
  })

  it('Should nest extension attributes under the canonical URN, from either form', ({ expect }) => {
    const body = {
      userName: 'ada',
      [ENT.toUpperCase()]: { Department: 'R&D', manager: { value: 'm-1' } },
      [`${ENT}:employeeNumber`]: 701984,
      [`${AT.toLowerCase()}:TRACKING`]: 'False',
      [AT]: { userPrincipalNames: [{ value: 'ada@corp.example' }] },
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, ENT, AT],
      userName: 'ada',
      [ENT]: { department: 'R&D', manager: { value: 'm-1' }, employeeNumber: '701984' },
      [AT]: { tracking: false, userPrincipalNames: [{ value: 'ada@corp.example' }] },
    })
  })

  it('Should accept core attributes qualified with the core URN', ({ expect }) => {
    expect(
      user({
        [`${CORE_USER_SCHEMA}:userName`]: 'ada',
        'urn:ietf:params:scim:schemas:core:2.0:user:Title': 'Dr',
      })
    ).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada',
      title: 'Dr',
    })
  })

  it('Should ignore unknown attributes and unknown extension keys', ({ expect }) => {
    const body = {
      userName: 'ada',
      favouriteColour: 'blue',
      name: { givenName: 'Ada', nickname: 'x' },
      'urn:ietf:params:scim:schemas:extension:Contoso:2.0:User': { costCenter: '1' },
      'urn:ietf:params:scim:schemas:extension:Contoso:2.0:User:badge': '7',
      'urn:scim:schemas:extension:enterprise:1.0': { department: 'x' },
      [`${ENT}:shoeSize`]: 44,
      [ENT]: { shoeSize: 44 },
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada',
      name: { givenName: 'Ada' },
    })
  })

  it('Should ignore readOnly and writeOnly attributes (RFC 7643 §2.2)', ({ expect }) => {
    const body = {
      id: 'client-chosen',
      userName: 'ada',
      password: 'secret',
      meta: { created: '2020-01-01T00:00:00Z' },
      groups: [{ value: 'g1', display: 'Admins' }],
      [ENT]: { manager: { value: 'm-1', displayName: 'Boss' } },
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, ENT],
      userName: 'ada',
      [ENT]: { manager: { value: 'm-1' } },
    })
  })

  it('Should drop unassigned values: null, [], {} and what becomes empty', ({ expect }) => {
    const body = {
      userName: 'ada',
      title: null,
      roles: [],
      name: {},
      phoneNumbers: [null, {}],
      emails: [
        { value: null, display: null },
        { value: 'ada@example.com', type: null },
      ],
      [ENT]: { manager: null, department: null },
      [AT]: {},
    }
    expect(user(body)).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada',
      emails: [{ value: 'ada@example.com' }],
    })
  })

  it('Should keep strings exactly as sent', ({ expect }) => {
    const doc = user({ userName: '  Ada@Example.COM ', title: '', nickName: ' x ' })
    expect(doc).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: '  Ada@Example.COM ',
      title: '',
      nickName: ' x ',
    })
  })
})

describe('normalizeResource: values', () => {
  it.for<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['"True" as a boolean', { active: 'True' }, { active: true }],
    ['"FALSE" as a boolean', { active: 'FALSE' }, { active: false }],
    ['a number for a string', { displayName: 12 }, { displayName: '12' }],
    [
      'a single object for a multi-valued attribute',
      { emails: { value: 'a@b.c' } },
      { emails: [{ value: 'a@b.c' }] },
    ],
    [
      'manager as a one-element array (Entra)',
      { [ENT]: { manager: [{ value: 'm-1', $ref: null }] } },
      { [ENT]: { manager: { value: 'm-1' } } },
    ],
    [
      'manager as a bare id',
      { [ENT]: { manager: 'm-1' } },
      { [ENT]: { manager: { value: 'm-1' } } },
    ],
    [
      'one primary among several',
      {
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: false },
        ],
      },
      {
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: false },
        ],
      },
    ],
  ])('Should accept %s', ([, extra, expected], { expect }) => {
    const rest = user({ userName: 'ada', ...extra })
    delete rest.schemas
    delete rest.userName
    expect(rest).toStrictEqual(expected)
  })

  it.for<[string, Record<string, unknown>, string]>([
    [
      'a string that is an object',
      { emails: [{ value: { x: 1 } }] },
      'Attribute "emails[0].value" must be a string',
    ],
    ['a string that is a boolean', { title: true }, 'Attribute "title" must be a string'],
    ['a string that is an array', { title: ['Dr'] }, 'Attribute "title" must be a string'],
    [
      'the index of the offending element',
      { emails: [{ value: 'a' }, { value: 'b', type: false }] },
      'Attribute "emails[1].type" must be a string',
    ],
    [
      'a boolean that is not true/false',
      { active: 'yes' },
      'Attribute "active" must be a boolean (true or false)',
    ],
    [
      'a boolean that is a number',
      { active: 1 },
      'Attribute "active" must be a boolean (true or false)',
    ],
    [
      'a complex attribute that is a string',
      { name: 'Ada Lovelace' },
      'Attribute "name" must be an object',
    ],
    [
      'a multi-valued element that is a string',
      { emails: ['a@b.c'] },
      'Attribute "emails[0]" must be an object',
    ],
    [
      'manager with two elements',
      { [ENT]: { manager: [{ value: 'a' }, { value: 'b' }] } },
      `Attribute "${ENT}:manager" must be an object`,
    ],
    [
      'an extension string that is a boolean',
      { [`${ENT}:department`]: false },
      `Attribute "${ENT}:department" must be a string`,
    ],
    ['a reference that is a number', { profileUrl: 5 }, 'Attribute "profileUrl" must be a string'],
    [
      'a binary that is a number',
      { x509Certificates: [{ value: 5 }] },
      'Attribute "x509Certificates[0].value" must be a string',
    ],
    [
      'an extension that is not an object',
      { [ENT]: 'R&D' },
      `Attribute "${ENT}" must be an object`,
    ],
    [
      'two primary values',
      {
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: 'True' },
        ],
      },
      'Attribute "emails" has more than one primary value',
    ],
  ])('Should reject %s with 400 invalidValue', ([, extra, detail], { expect }) => {
    expect(catchScimError(() => user({ userName: 'ada', ...extra }))).toEqual(invalidValue(detail))
  })

  it.for<[string, unknown]>([
    ['null', null],
    ['an array', [{ userName: 'ada' }]],
    ['a string', 'userName=ada'],
    ['a number', 42],
  ])('Should reject a body that is %s with 400 invalidSyntax', ([, body], { expect }) => {
    expect(catchScimError(() => user(body))).toEqual({
      status: 400,
      scimType: 'invalidSyntax',
      detail: 'The request body must be a JSON object (a User)',
    })
  })
})

describe('normalizeResource: required attributes', () => {
  it.for<[string, (body: unknown) => unknown, Record<string, unknown>, string]>([
    ['a missing userName', user, { displayName: 'Ada' }, 'Attribute "userName" is required'],
    ['a null userName', user, { userName: null }, 'Attribute "userName" is required'],
    [
      'an empty userName',
      user,
      { userName: '' },
      'Attribute "userName" is required and must not be blank',
    ],
    [
      'a blank userName',
      user,
      { userName: ' \t ' },
      'Attribute "userName" is required and must not be blank',
    ],
    ['a missing displayName', group, { externalId: 'x' }, 'Attribute "displayName" is required'],
    [
      'a blank displayName',
      group,
      { displayName: '  ' },
      'Attribute "displayName" is required and must not be blank',
    ],
  ])('Should reject %s with 400 invalidValue', ([, normalize, body, detail], { expect }) => {
    expect(catchScimError(() => normalize(body))).toEqual(invalidValue(detail))
  })

  it('Should check a patched document the same way', ({ expect }) => {
    expect(
      catchScimError(() => assertRequired(USER_RESOURCE_TYPE, { schemas: [CORE_USER_SCHEMA] }))
    ).toEqual(invalidValue('Attribute "userName" is required'))
    expect(() => assertRequired(GROUP_RESOURCE_TYPE, { displayName: 'G' })).not.toThrow()
  })
})

describe('normalizeResource: group members', () => {
  it('Should keep user members, canonicalized, without client-sent display names', ({ expect }) => {
    const body = {
      displayName: 'Admins',
      members: [
        { value: 'u1' },
        { VALUE: 'u2', type: 'User', display: 'Ada', $ref: null },
        { value: 'u3', type: 'user', $ref: 'https://scim.test/scim/v2/Users/u3' },
      ],
    }
    expect(group(body)).toStrictEqual({
      schemas: [CORE_GROUP_SCHEMA],
      displayName: 'Admins',
      members: [
        { value: 'u1' },
        { value: 'u2', type: 'User' },
        { value: 'u3', type: 'user', $ref: 'https://scim.test/scim/v2/Users/u3' },
      ],
    })
  })

  it.for<[string, unknown[], string]>([
    [
      'a nested group',
      [{ value: 'u1' }, { value: 'g7', type: 'Group' }],
      'Group members must be users; nested groups are not supported (member "g7")',
    ],
    [
      'a nested group in any case',
      [{ value: 'g7', type: 'GROUP' }],
      'Group members must be users; nested groups are not supported (member "g7")',
    ],
    [
      'another member type',
      [{ value: 'd1', type: 'Device' }],
      'Attribute "members[0].type" must be "User"',
    ],
    [
      'a member without value',
      [{ value: 'u1' }, { type: 'User' }],
      'Attribute "members[1].value" is required',
    ],
    ['a member that is a string', ['u1'], 'Attribute "members[0]" must be an object'],
  ])('Should reject %s with 400 invalidValue', ([, members, detail], { expect }) => {
    expect(catchScimError(() => group({ displayName: 'G', members }))).toEqual(invalidValue(detail))
  })
})

describe('normalizeResource: the ActivTrak guide’s dotted extension keys', () => {
  it('Should read `…:2.0:User.tracking` and `…User.userPrincipalNames` as extension attributes', ({
    expect,
  }) => {
    const doc = user({
      userName: 'ada@example.com',
      [`${AT}.tracking`]: 'False',
      [`${AT}.userPrincipalNames`]: [{ value: 'ada@corp.example' }],
    })
    expect(doc).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, AT],
      userName: 'ada@example.com',
      [AT]: { tracking: false, userPrincipalNames: [{ value: 'ada@corp.example' }] },
    })
  })

  it('Should merge a dotted key with the nested extension object, in any case', ({ expect }) => {
    const doc = user({
      userName: 'ada@example.com',
      [AT]: { tracking: true },
      [`${AT.toUpperCase()}.USERPRINCIPALNAMES`]: [{ value: 'ada@corp.example' }],
    })
    expect(doc[AT]).toStrictEqual({
      tracking: true,
      userPrincipalNames: [{ value: 'ada@corp.example' }],
    })
  })

  it('Should check the values of dotted keys like any other', ({ expect }) => {
    expect(catchScimError(() => user({ userName: 'a', [`${AT}.tracking`]: 'maybe' }))).toEqual(
      invalidValue(`Attribute "${AT}:tracking" must be a boolean (true or false)`)
    )
  })

  it('Should keep colon-qualified enterprise and core keys as they were', ({ expect }) => {
    const doc = user({
      [`${CORE_USER_SCHEMA}:userName`]: 'ada@example.com',
      [`${ENT}:employeeNumber`]: '42',
    })
    expect(doc).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, ENT],
      userName: 'ada@example.com',
      [ENT]: { employeeNumber: '42' },
    })
  })
})
