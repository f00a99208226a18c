import { describe, it, type ExpectStatic } from 'vitest'
import { applyPatch, parsePatchRequest } from '../../../../src/scim/patch'
import {
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  resolverFor,
  type ScimDocument,
} from '../../../../src/scim/schemas'

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const ACT = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
const USER_CTX = { resourceType: USER_RESOURCE_TYPE, resolve: resolverFor(USER_RESOURCE_TYPE) }
const GROUP_CTX = { resourceType: GROUP_RESOURCE_TYPE, resolve: resolverFor(GROUP_RESOURCE_TYPE) }

const USER: ScimDocument = {
  schemas: [CORE, ENT],
  userName: 'babs@contoso.com',
  active: true,
  displayName: 'Babs Jensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'babs@contoso.com', type: 'work', primary: true }],
  [ENT]: { department: 'Sales' },
}
const without = (doc: ScimDocument, key: string): ScimDocument =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => k !== key))
/** USER without its enterprise extension. */
const PLAIN: ScimDocument = without({ ...USER, schemas: [CORE] }, ENT)

const patch = (doc: ScimDocument, operations: unknown[], ctx = USER_CTX) =>
  applyPatch(
    doc,
    parsePatchRequest({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: operations,
    }),
    ctx
  )

const scimError = (expect: ExpectStatic, scimType: string, detail: string): unknown =>
  expect.objectContaining({
    name: 'ScimError',
    status: 400,
    scimType,
    message: expect.stringContaining(detail) as unknown,
  })

describe('applyPatch on a User', () => {
  it.for<{ name: string; doc?: ScimDocument; ops: unknown[]; expected: ScimDocument }>([
    {
      name: 'Entra soft delete with the string "False"',
      ops: [{ op: 'Replace', path: 'active', value: 'False' }],
      expected: { ...USER, active: false },
    },
    {
      name: 'aadOptscim062020 soft delete with a boolean',
      ops: [{ op: 'replace', path: 'active', value: false }],
      expected: { ...USER, active: false },
    },
    {
      name: 'Entra add of a singular attribute',
      ops: [{ op: 'Add', path: 'nickName', value: 'Babs' }],
      expected: { ...USER, nickName: 'Babs' },
    },
    {
      name: 'Entra one operation per attribute',
      ops: [
        { op: 'Replace', path: 'name.givenName', value: 'Barb' },
        { op: 'Replace', path: 'externalId', value: 'ext-1' },
        { op: 'Replace', path: `${ENT}:employeeNumber`, value: '42' },
      ],
      expected: {
        ...USER,
        name: { givenName: 'Barb', familyName: 'Jensen' },
        externalId: 'ext-1',
        [ENT]: { department: 'Sales', employeeNumber: '42' },
      },
    },
    {
      name: 'aadOptscim062020 no-path replace with dotted and URN-qualified keys',
      doc: PLAIN,
      ops: [
        {
          op: 'replace',
          value: {
            displayName: 'Flag User',
            'name.givenName': 'Flag',
            [`${ENT}:employeeNumber`]: '9001',
          },
        },
      ],
      expected: {
        ...PLAIN,
        schemas: [CORE, ENT],
        displayName: 'Flag User',
        name: { givenName: 'Flag', familyName: 'Jensen' },
        [ENT]: { employeeNumber: '9001' },
      },
    },
    {
      name: 'a no-path extension object under its URN, in another letter case',
      ops: [
        {
          op: 'add',
          value: { [ENT.toLowerCase()]: { EmployeeNumber: '7', manager: 'm1', unknown: 1 } },
        },
      ],
      expected: {
        ...USER,
        [ENT]: { department: 'Sales', employeeNumber: '7', manager: { value: 'm1' } },
      },
    },
    {
      name: 'Entra replace of the existing work email',
      ops: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'a@b.com' }],
      expected: { ...USER, emails: [{ value: 'a@b.com', type: 'work', primary: true }] },
    },
    {
      name: 'Entra replace of a work email that does not exist yet (created from the eq filter)',
      doc: { ...USER, emails: [{ value: 'h@home.net', type: 'home' }] },
      ops: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'a@b.com' }],
      expected: {
        ...USER,
        emails: [
          { value: 'h@home.net', type: 'home' },
          { type: 'work', value: 'a@b.com' },
        ],
      },
    },
    {
      name: 'Entra add of a mobile phone and a work street address on a user without any',
      doc: PLAIN,
      ops: [
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' },
        {
          op: 'Add',
          path: 'addresses[type eq "work" and primary eq true].streetAddress',
          value: '1 Main St',
        },
      ],
      expected: {
        ...PLAIN,
        phoneNumbers: [{ type: 'mobile', value: '+1 555' }],
        addresses: [{ type: 'work', primary: true, streetAddress: '1 Main St' }],
      },
    },
    {
      name: 'Entra manager add as a one-element array with $ref null',
      ops: [{ op: 'Add', path: `${ENT}:manager`, value: [{ $ref: null, value: 'm1' }] }],
      expected: { ...USER, [ENT]: { department: 'Sales', manager: { value: 'm1' } } },
    },
    {
      name: 'Entra manager add on the bare path "manager" (the only extension attribute so named)',
      doc: PLAIN,
      ops: [{ op: 'Add', path: 'manager', value: [{ $ref: null, value: 'm1' }] }],
      expected: { ...PLAIN, schemas: [CORE, ENT], [ENT]: { manager: { value: 'm1' } } },
    },
    {
      name: 'Okta deactivation with a no-path value',
      ops: [{ op: 'replace', value: { active: false } }],
      expected: { ...USER, active: false },
    },
    {
      name: 'ActivTrak add of the single UPN through [value eq null]',
      ops: [
        {
          op: 'Add',
          path: `${ACT}:userPrincipalNames[value eq null].value`,
          value: 'babs@corp.example',
        },
      ],
      expected: {
        ...USER,
        schemas: [CORE, ENT, ACT],
        [ACT]: { userPrincipalNames: [{ value: 'babs@corp.example' }] },
      },
    },
    {
      name: 'ActivTrak replace of the single UPN through [value eq null]',
      doc: {
        ...USER,
        schemas: [CORE, ENT, ACT],
        [ACT]: { userPrincipalNames: [{ value: 'old1' }, { value: 'old2' }], tracking: true },
      },
      ops: [
        { op: 'Replace', path: `${ACT}:userPrincipalNames[value eq null].value`, value: 'new' },
      ],
      expected: {
        ...USER,
        schemas: [CORE, ENT, ACT],
        [ACT]: { userPrincipalNames: [{ value: 'new' }], tracking: true },
      },
    },
    {
      name: 'ActivTrak removal through [value eq null], which drops the empty extension',
      doc: {
        ...USER,
        schemas: [CORE, ENT, ACT],
        [ACT]: { userPrincipalNames: [{ value: 'old' }] },
      },
      ops: [{ op: 'Remove', path: `${ACT}:userPrincipalNames[value eq null].value` }],
      expected: USER,
    },
    {
      name: 'ActivTrak tracking sent as "False"',
      ops: [{ op: 'Replace', path: `${ACT}:tracking`, value: 'False' }],
      expected: { ...USER, schemas: [CORE, ENT, ACT], [ACT]: { tracking: false } },
    },
    {
      name: 'an added primary email, which takes primary from the others (RFC 7643 §2.4)',
      ops: [
        {
          op: 'add',
          path: 'emails',
          value: [{ value: 'new@b.com', type: 'other', primary: true }],
        },
      ],
      expected: {
        ...USER,
        emails: [
          { value: 'babs@contoso.com', type: 'work' },
          { value: 'new@b.com', type: 'other', primary: true },
        ],
      },
    },
    {
      name: 'a replace of a multi-valued attribute without filter',
      ops: [{ op: 'replace', path: 'emails', value: [{ value: 'x@y.com', type: 'home' }] }],
      expected: { ...USER, emails: [{ value: 'x@y.com', type: 'home' }] },
    },
    {
      name: 'a replace of a complex attribute, keeping sub-attributes not given (§3.5.2.3)',
      ops: [{ op: 'replace', path: 'Name', value: { GivenName: 'B', middleName: 'J' } }],
      expected: { ...USER, name: { givenName: 'B', familyName: 'Jensen', middleName: 'J' } },
    },
    {
      name: 'a complex sub-attribute given as null, which is removed',
      ops: [{ op: 'replace', value: { name: { GIVENNAME: null, formatted: 'B J' } } }],
      expected: { ...USER, name: { familyName: 'Jensen', formatted: 'B J' } },
    },
    {
      name: 'a filtered replace without sub-attribute, which merges into the matching element',
      ops: [{ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'z@b.com' } }],
      expected: { ...USER, emails: [{ value: 'z@b.com', type: 'work', primary: true }] },
    },
    {
      name: 'a filtered removal of a sub-attribute',
      doc: {
        ...USER,
        emails: [
          { value: 'a@x.com', type: 'work', primary: true },
          { value: 'b@x.com', type: 'home' },
        ],
      },
      ops: [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
      expected: {
        ...USER,
        emails: [
          { value: 'a@x.com', type: 'work' },
          { value: 'b@x.com', type: 'home' },
        ],
      },
    },
    {
      name: 'a removal by value filter that empties the attribute',
      ops: [{ op: 'remove', path: 'emails[type eq "work"]' }],
      expected: without(USER, 'emails'),
    },
    {
      name: 'a removal of a sub-attribute',
      ops: [{ op: 'remove', path: 'name.givenName' }],
      expected: { ...USER, name: { familyName: 'Jensen' } },
    },
    {
      name: 'a removal with a value array',
      doc: { ...USER, emails: [{ value: 'a@x.com' }, { value: 'b@x.com', type: 'home' }] },
      ops: [{ op: 'Remove', path: 'emails', value: [{ value: 'b@x.com' }] }],
      expected: { ...USER, emails: [{ value: 'a@x.com' }] },
    },
    {
      name: 'the last extension attribute removed, which drops the extension from schemas',
      ops: [{ op: 'remove', path: `${ENT}:department` }],
      expected: PLAIN,
    },
    {
      name: 'a replace with null, which unassigns (RFC 7643 §2.5)',
      doc: { ...USER, title: 'CEO' },
      ops: [{ op: 'replace', path: 'title', value: null }],
      expected: USER,
    },
    {
      name: 'case-insensitive names, written in canonical spelling',
      ops: [
        { op: 'replace', path: 'DISPLAYNAME', value: 'B' },
        { op: 'add', path: `${ENT.toUpperCase()}:EmployeeNumber`, value: 5 },
      ],
      expected: { ...USER, displayName: 'B', [ENT]: { department: 'Sales', employeeNumber: '5' } },
    },
    {
      name: 'read-only, write-only and unknown keys of a no-path value, which are ignored',
      ops: [
        {
          op: 'replace',
          value: {
            id: 'u1',
            meta: { version: 'x' },
            schemas: [CORE],
            groups: [{ value: 'g' }],
            password: 'secret',
            favouriteColour: 'red',
            'urn:x:y': { a: 1 },
            title: 'CTO',
          },
        },
      ],
      expected: { ...USER, title: 'CTO' },
    },
  ])('Should apply $name', ({ doc = USER, ops, expected }, { expect }) => {
    expect(patch(doc, ops)).toEqual({ doc: expected, changed: true })
  })

  it.for<{ name: string; ops: unknown[] }>([
    {
      name: 'the same replace again',
      ops: [{ op: 'Replace', path: 'displayName', value: 'Babs Jensen' }],
    },
    {
      name: 'an add of an existing value (RFC 7644 §3.5.2.1)',
      ops: [
        {
          op: 'add',
          path: 'emails',
          value: [{ value: 'babs@contoso.com', type: 'work', primary: true }],
        },
      ],
    },
    {
      name: 'a removal whose filter matches nothing',
      ops: [{ op: 'remove', path: 'emails[type eq "home"]' }],
    },
    { name: 'a removal of an absent attribute', ops: [{ op: 'remove', path: 'nickName' }] },
    {
      name: 'a no-path replace with the current values',
      ops: [{ op: 'replace', value: { active: 'True', [ENT]: { department: 'Sales' } } }],
    },
    {
      name: 'a password change (write-only, not stored)',
      ops: [{ op: 'replace', path: 'password', value: 'secret' }],
    },
  ])('Should report no change for $name', ({ ops }, { expect }) => {
    expect(patch(USER, ops)).toEqual({ doc: USER, changed: false })
  })

  it('Should report no change when the same replace is applied to its own result', ({ expect }) => {
    const ops = [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b.com' }]
    const first = patch(USER, ops)
    expect(first.changed).toBe(true)
    expect(patch(first.doc, ops)).toEqual({ doc: first.doc, changed: false })
  })

  it('Should leave the input document untouched', ({ expect }) => {
    const input = structuredClone(USER)
    patch(input, [
      { op: 'replace', path: 'name.givenName', value: 'X' },
      { op: 'remove', path: `${ENT}:department` },
      { op: 'add', path: 'emails', value: [{ value: 'p@x.com', primary: true }] },
    ])
    expect(input).toEqual(USER)
  })

  it.for([
    {
      name: 'an unknown attribute',
      ops: [{ op: 'replace', path: 'favouriteColour', value: 'x' }],
      type: 'invalidPath',
      detail: 'Operation 1: unknown attribute "favouriteColour"',
    },
    {
      name: 'an unknown sub-attribute',
      ops: [{ op: 'replace', path: 'name.nick', value: '1' }],
      type: 'invalidPath',
      detail: 'unknown attribute "name.nick"',
    },
    {
      name: 'a read-only id',
      ops: [{ op: 'replace', path: 'id', value: 'x' }],
      type: 'mutability',
      detail: 'Operation 1: attribute "id" is read-only',
    },
    {
      name: 'the read-only groups',
      ops: [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
      type: 'mutability',
      detail: 'attribute "groups" is read-only',
    },
    {
      name: 'a read-only sub-attribute',
      ops: [{ op: 'replace', path: `${ENT}:manager.displayName`, value: 'x' }],
      type: 'mutability',
      detail: `attribute "${ENT}:manager.displayName" is read-only`,
    },
    {
      name: 'a value of the wrong type',
      ops: [{ op: 'replace', path: 'active', value: 'maybe' }],
      type: 'invalidValue',
      detail: 'Operation 1: Attribute "active" must be a boolean',
    },
    {
      name: 'a wrong type in a no-path value',
      ops: [{ op: 'replace', value: { active: 'maybe' } }],
      type: 'invalidValue',
      detail: 'Attribute "active" must be a boolean',
    },
    {
      name: 'the removal of userName (RFC 7644 §3.5.2.2)',
      ops: [{ op: 'remove', path: 'userName' }],
      type: 'mutability',
      detail: 'Operation 1: "userName" is required and cannot be removed',
    },
    {
      name: 'a null userName in a no-path value',
      ops: [{ op: 'replace', value: { userName: null } }],
      type: 'mutability',
      detail: '"userName" is required',
    },
    {
      name: 'a blank userName',
      ops: [{ op: 'replace', path: 'userName', value: ' ' }],
      type: 'invalidValue',
      detail: 'Attribute "userName" is required and must not be blank',
    },
    {
      name: 'a replace whose non-eq filter matches nothing',
      ops: [{ op: 'replace', path: 'emails[type eq "home" or type eq "other"].value', value: 'x' }],
      type: 'noTarget',
      detail: 'Operation 1: no value of "emails" matches the filter',
    },
    {
      name: 'a filter on an unknown sub-attribute',
      ops: [{ op: 'replace', path: 'emails[kind eq "work"].value', value: 'x' }],
      type: 'invalidPath',
      detail: '"emails" has no sub-attribute "kind"',
    },
    {
      name: 'a filter on a singular attribute',
      ops: [{ op: 'replace', path: 'name[givenName eq "x"].familyName', value: 'x' }],
      type: 'invalidPath',
      detail: 'a value filter needs a multi-valued attribute',
    },
    {
      name: 'more than one primary in one value',
      ops: [
        {
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        },
      ],
      type: 'invalidValue',
      detail: 'more than one primary',
    },
    {
      name: 'a failing second operation, named by its 1-based position',
      ops: [
        { op: 'replace', path: 'displayName', value: 'ok' },
        { op: 'add', path: 'meta.version', value: 'x' },
      ],
      type: 'mutability',
      detail: 'Operation 2: attribute "meta.version" is read-only',
    },
  ])('Should reject $name', ({ ops, type, detail }, { expect }) => {
    expect(() => patch(USER, ops)).toThrow(scimError(expect, type, detail))
  })
})

describe('applyPatch on a Group', () => {
  const GROUP: ScimDocument = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Old',
  }

  it('Should apply the Okta rename, ignoring the id, and see the resent rename as no change', ({
    expect,
  }) => {
    const ops = [{ op: 'replace', value: { id: 'g1', displayName: 'New' } }]
    const renamed = patch(GROUP, ops, GROUP_CTX)
    expect(renamed).toEqual({ doc: { ...GROUP, displayName: 'New' }, changed: true })
    expect(patch(renamed.doc, ops, GROUP_CTX)).toEqual({ doc: renamed.doc, changed: false })
  })

  it('Should refuse to remove the required displayName', ({ expect }) => {
    expect(() => patch(GROUP, [{ op: 'remove', path: 'displayName' }], GROUP_CTX)).toThrow(
      scimError(expect, 'mutability', '"displayName" is required and cannot be removed')
    )
  })
})
