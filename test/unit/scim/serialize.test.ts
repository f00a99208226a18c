import { describe, it } from 'vitest'
import {
  ACTIVTRAK_USER_SCHEMA,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
} from '../../../src/scim/constants'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../src/scim/schemas'
import { attribute, complex } from '../../../src/scim/schemas/define'
import type { ResourceTypeDef } from '../../../src/scim/schemas/resource-types'
import { parseAttributeList, serializeResource } from '../../../src/scim/serialize'

const ENT = ENTERPRISE_USER_SCHEMA
const META = {
  id: 'u-1',
  created: '2024-01-01T00:00:00.000Z',
  lastModified: '2024-02-01T00:00:00.000Z',
  version: 'W/"2"',
  location: 'https://scim.test/scim/v2/Users/u-1',
}
const WIRE_META = {
  resourceType: 'User',
  created: META.created,
  lastModified: META.lastModified,
  location: META.location,
  version: META.version,
}
const DOC = {
  schemas: [CORE_USER_SCHEMA, ENT],
  userName: 'ada@example.com',
  externalId: 'x-1',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  // Never stored, but serialization must not depend on that.
  password: 'secret',
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  groups: [{ value: 'g-1', display: 'Admins' }],
  [ENT]: { employeeNumber: '701984', department: 'R&D' },
}

const serialize = (attributes: string[] = [], excludedAttributes: string[] = []) =>
  serializeResource(USER_RESOURCE_TYPE, DOC, META, { attributes, excludedAttributes })

describe('serializeResource', () => {
  it('Should write schemas, id, the attributes, extensions and meta, without password', ({
    expect,
  }) => {
    const out = serializeResource(USER_RESOURCE_TYPE, DOC, META)
    expect(out).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, ENT],
      id: 'u-1',
      externalId: 'x-1',
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      active: true,
      emails: DOC.emails,
      groups: [{ value: 'g-1', display: 'Admins' }],
      [ENT]: { employeeNumber: '701984', department: 'R&D' },
      meta: WIRE_META,
    })
    expect(Object.keys(out)).toEqual([
      'schemas',
      'id',
      'externalId',
      'userName',
      'name',
      'active',
      'emails',
      'groups',
      ENT,
      'meta',
    ])
  })

  it('Should take id and meta from storage, not from the document', ({ expect }) => {
    const out = serializeResource(
      USER_RESOURCE_TYPE,
      { ...DOC, id: 'forged', meta: { version: 'x' } },
      META
    )
    expect(out.id).toBe('u-1')
    expect(out.meta).toStrictEqual(WIRE_META)
  })

  it('Should list only the extensions present in the output in schemas', ({ expect }) => {
    const doc = { userName: 'ada', [ACTIVTRAK_USER_SCHEMA]: { tracking: false } }
    expect(serializeResource(USER_RESOURCE_TYPE, doc, META).schemas).toEqual([
      CORE_USER_SCHEMA,
      ACTIVTRAK_USER_SCHEMA,
    ])
  })

  it.for<[string, string[], Record<string, unknown>]>([
    ['one attribute', ['userName'], { userName: 'ada@example.com' }],
    ['names in any case', ['USERNAME', 'Active'], { userName: 'ada@example.com', active: true }],
    ['a sub-attribute', ['name.givenName'], { name: { givenName: 'Ada' } }],
    [
      'a sub-attribute of a multi-valued attribute',
      ['emails.VALUE'],
      { emails: [{ value: 'ada@work.example' }, { value: 'ada@home.example' }] },
    ],
    [
      'the attribute and one of its sub-attributes',
      ['name', 'name.givenName'],
      { name: { givenName: 'Ada', familyName: 'Lovelace' } },
    ],
    [
      'a core-URN-qualified attribute',
      [`${CORE_USER_SCHEMA}:userName`],
      { userName: 'ada@example.com' },
    ],
    ['an extension attribute', [`${ENT}:employeeNumber`], { [ENT]: { employeeNumber: '701984' } }],
    [
      'a whole extension',
      [ENT.toLowerCase()],
      { [ENT]: { employeeNumber: '701984', department: 'R&D' } },
    ],
    ['password', ['password'], {}],
    ['only unknown names', ['nope', 'urn:x:y', ''], {}],
  ])(
    'Should return only %s (and the always-returned ones) for attributes',
    ([, attributes, expected], { expect }) => {
      const out = serialize(attributes)
      const schemas = ENT in expected ? [CORE_USER_SCHEMA, ENT] : [CORE_USER_SCHEMA]
      expect(out).toStrictEqual({ schemas, id: 'u-1', ...expected, meta: WIRE_META })
    }
  )

  it('Should narrow meta when attributes name its sub-attributes', ({ expect }) => {
    expect(serialize(['meta.lastModified', 'userName'])).toStrictEqual({
      schemas: [CORE_USER_SCHEMA],
      id: 'u-1',
      userName: 'ada@example.com',
      meta: { lastModified: META.lastModified },
    })
  })

  it.for<[string, string[], string[]]>([
    ['an attribute', ['emails'], ['emails']],
    ['attributes in any case', ['EMAILS', 'Groups', 'PASSWORD'], ['emails', 'groups']],
    ['an extension attribute', [`${ENT}:department`], []],
    ['a whole extension', [ENT], [ENT]],
    ['unknown names', ['nope', 'name.nope', 'urn:x:User:y'], []],
    ['id and meta, which are always returned', ['id', 'meta', 'schemas'], []],
  ])('Should leave out %s for excludedAttributes', ([, excluded, gone], { expect }) => {
    const full = serializeResource(USER_RESOURCE_TYPE, DOC, META)
    const out = serialize([], excluded)
    expect(Object.keys(full).filter((k) => !(k in out))).toEqual(gone)
  })

  it('Should leave out excluded sub-attributes', ({ expect }) => {
    const out = serialize(
      [],
      ['name.givenName', 'emails.type', `${ENT}:department`, 'meta.lastModified']
    )
    expect(out.name).toStrictEqual({ familyName: 'Lovelace' })
    expect(out.emails).toStrictEqual([
      { value: 'ada@work.example', primary: true },
      { value: 'ada@home.example' },
    ])
    expect(out[ENT]).toStrictEqual({ employeeNumber: '701984' })
    expect(out.meta).toStrictEqual({
      resourceType: 'User',
      created: META.created,
      location: META.location,
      version: META.version,
    })
    expect(out.schemas).toEqual([CORE_USER_SCHEMA, ENT])
  })

  it('Should drop an extension left empty by the projection from schemas', ({ expect }) => {
    const out = serialize([], [`${ENT}:department`, `${ENT}:employeeNumber`])
    expect(ENT in out).toBe(false)
    expect(out.schemas).toEqual([CORE_USER_SCHEMA])
  })

  it('Should project a group and its members', ({ expect }) => {
    const doc = { displayName: 'Admins', members: [{ value: 'u-1', display: 'Ada' }] }
    const meta = { ...META, location: 'https://scim.test/scim/v2/Groups/g-1', id: 'g-1' }
    const groupMeta = { ...WIRE_META, resourceType: 'Group', location: meta.location }
    expect(
      serializeResource(GROUP_RESOURCE_TYPE, doc, meta, { excludedAttributes: ['members'] })
    ).toStrictEqual({
      schemas: [CORE_GROUP_SCHEMA],
      id: 'g-1',
      displayName: 'Admins',
      meta: groupMeta,
    })
    expect(
      serializeResource(GROUP_RESOURCE_TYPE, doc, meta, { attributes: ['members.value'] })
    ).toStrictEqual({
      schemas: [CORE_GROUP_SCHEMA],
      id: 'g-1',
      members: [{ value: 'u-1' }],
      meta: groupMeta,
    })
  })

  it('Should return a returned=request attribute only when asked for', ({ expect }) => {
    const rt: ResourceTypeDef = {
      name: 'Thing',
      endpoint: '/Things',
      description: 'test',
      schema: {
        id: 'urn:ietf:params:scim:schemas:core:2.0:Thing',
        name: 'Thing',
        description: 'test',
        attributes: [
          attribute('label', 'string', 'default'),
          attribute('audit', 'string', 'request', { returned: 'request' }),
          complex('box', 'complex', [
            attribute('open', 'string', 'default'),
            attribute('hidden', 'string', 'request', { returned: 'request' }),
          ]),
        ],
      },
      schemaExtensions: [],
    }
    const doc = { label: 'l', audit: 'a', box: { open: 'o', hidden: 'h' } }
    const keys = (attributes: string[]) => {
      const out = serializeResource(rt, doc, META, { attributes })
      return [out.label, out.audit, out.box]
    }
    expect(keys([])).toEqual(['l', undefined, { open: 'o' }])
    expect(keys(['audit'])).toEqual([undefined, 'a', undefined])
    expect(keys(['box'])).toEqual([undefined, undefined, { open: 'o' }])
    expect(keys(['box', 'box.hidden'])).toEqual([undefined, undefined, { open: 'o', hidden: 'h' }])
    expect(keys(['box.hidden'])).toEqual([undefined, undefined, { hidden: 'h' }])
  })
})

describe('serializeResource: the ActivTrak guide’s dotted extension paths', () => {
  const AT = ACTIVTRAK_USER_SCHEMA
  const doc = {
    ...DOC,
    schemas: [CORE_USER_SCHEMA, ENT, AT],
    [AT]: { tracking: false, userPrincipalNames: [{ value: 'ada@corp.example' }] },
  }
  const project = (attributes: string[], excludedAttributes: string[] = []) =>
    serializeResource(USER_RESOURCE_TYPE, doc, META, { attributes, excludedAttributes })

  it('Should return only the attributes named with a dot after the URN', ({ expect }) => {
    expect(project([`${AT}.tracking`, `${AT}.userPrincipalNames.value`])).toStrictEqual({
      schemas: [CORE_USER_SCHEMA, AT],
      id: 'u-1',
      [AT]: { tracking: false, userPrincipalNames: [{ value: 'ada@corp.example' }] },
      meta: WIRE_META,
    })
  })

  it('Should leave out an attribute excluded with a dot after the URN', ({ expect }) => {
    const out = project([], [`${AT}.userPrincipalNames`])
    expect(out[AT]).toStrictEqual({ tracking: false })
  })
})

describe('parseAttributeList', () => {
  it.for<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    [' , ', []],
    ['userName', ['userName']],
    [' userName , name.givenName ,,emails', ['userName', 'name.givenName', 'emails']],
    [`${ENT}:manager.value,meta.lastModified`, [`${ENT}:manager.value`, 'meta.lastModified']],
  ])('Should split %j into %j', ([param, expected], { expect }) => {
    expect(parseAttributeList(param)).toEqual(expected)
  })
})
