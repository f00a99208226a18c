import { describe, it, type ExpectStatic } from 'vitest'
import { parsePatchRequest, planGroupPatch } from '../../../../src/scim/patch'

const plan = (...operations: unknown[]) =>
  planGroupPatch(parsePatchRequest({ Operations: operations }))

const scimError = (expect: ExpectStatic, scimType: string, detail: string): unknown =>
  expect.objectContaining({
    name: 'ScimError',
    status: 400,
    scimType,
    message: expect.stringContaining(detail) as unknown,
  })

describe('planGroupPatch', () => {
  it.for([
    {
      name: 'Entra add of members with $ref null',
      ops: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { value: 'u2' }] }],
      members: [{ kind: 'add', ids: ['u1', 'u2'] }],
    },
    {
      name: 'Entra default removal with a value array',
      ops: [{ op: 'Remove', path: 'members', value: [{ value: 'u1' }] }],
      members: [{ kind: 'remove', ids: ['u1'] }],
    },
    {
      name: 'removal by value filter (fast path)',
      ops: [{ op: 'remove', path: 'members[value eq "u1"]' }],
      members: [{ kind: 'remove', ids: ['u1'] }],
    },
    {
      name: 'removal by an or of value filters',
      ops: [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }],
      members: [{ kind: 'remove', ids: ['u1', 'u2'] }],
    },
    {
      name: 'removal of a member value sub-attribute',
      ops: [{ op: 'remove', path: 'members[value eq "u1"].value' }],
      members: [{ kind: 'remove', ids: ['u1'] }],
    },
    {
      name: 'removal of every member',
      ops: [{ op: 'remove', path: 'members' }],
      members: [{ kind: 'removeAll' }],
    },
    {
      name: 'replace of members',
      ops: [
        {
          op: 'replace',
          path: 'members',
          value: [{ value: 'u3' }, { value: 'u1', display: 'One' }],
        },
      ],
      members: [{ kind: 'replace', ids: ['u3', 'u1'] }],
    },
    {
      name: 'replace of members with an empty list',
      ops: [{ op: 'replace', path: 'members', value: [] }],
      members: [{ kind: 'replace', ids: [] }],
    },
    {
      name: 'a URN-qualified members path and duplicate ids',
      ops: [
        {
          op: 'add',
          path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members',
          value: [{ value: 'u1' }, { value: 'u1' }],
        },
      ],
      members: [{ kind: 'add', ids: ['u1'] }],
    },
    {
      name: 'an explicit User type',
      ops: [{ op: 'add', path: 'members', value: [{ value: 'u1', type: 'User' }] }],
      members: [{ kind: 'add', ids: ['u1'] }],
    },
    {
      name: 'Okta mixed remove and add, in order',
      ops: [
        { op: 'remove', path: 'members[value eq "a"]' },
        { op: 'add', path: 'members', value: [{ value: 'b', display: 'b@okta.local' }] },
      ],
      members: [
        { kind: 'remove', ids: ['a'] },
        { kind: 'add', ids: ['b'] },
      ],
    },
    {
      name: 'a no-path add with members',
      ops: [{ op: 'add', value: { members: [{ value: 'u1' }] } }],
      members: [{ kind: 'add', ids: ['u1'] }],
    },
    {
      name: 'a no-path replace with members',
      ops: [{ op: 'replace', value: { Members: [{ value: 'u2' }] } }],
      members: [{ kind: 'replace', ids: ['u2'] }],
    },
    {
      name: 'an empty add or remove (dropped)',
      ops: [
        { op: 'add', path: 'members', value: [] },
        { op: 'remove', path: 'members', value: [] },
      ],
      members: [],
    },
  ])('Should plan $name', ({ ops, members }, { expect }) => {
    expect(plan(...ops)).toEqual({ attributeOps: [], members })
  })

  it('Should plan other member filters as removeWhere', ({ expect }) => {
    expect(plan({ op: 'remove', path: 'members[display sw "a"]' })).toEqual({
      attributeOps: [],
      members: [
        {
          kind: 'removeWhere',
          filter: { kind: 'compare', path: { name: 'display' }, op: 'sw', value: 'a' },
        },
      ],
    })
  })

  it('Should keep the Okta rename for the document and split members out of a no-path value', ({
    expect,
  }) => {
    expect(
      plan(
        { op: 'replace', value: { id: 'g1', displayName: 'New' } },
        { op: 'add', value: { displayName: 'Newer', members: [{ value: 'u1' }] } },
        { op: 'replace', path: 'displayName', value: 'Final' }
      )
    ).toEqual({
      attributeOps: [
        { op: 'replace', index: 0, value: { id: 'g1', displayName: 'New' } },
        { op: 'add', index: 1, value: { displayName: 'Newer' } },
        {
          op: 'replace',
          index: 2,
          pathText: 'displayName',
          path: { attr: { name: 'displayName' } },
          value: 'Final',
        },
      ],
      members: [{ kind: 'add', ids: ['u1'] }],
    })
  })

  it.for([
    {
      name: 'a nested group member',
      ops: [
        { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'g2', type: 'Group' }] },
      ],
      type: 'invalidValue',
      detail:
        'Operation 1: Group members must be users; nested groups are not supported (member "g2")',
    },
    {
      name: 'a nested group in a no-path replace',
      ops: [
        { op: 'remove', path: 'members' },
        { op: 'replace', value: { members: [{ value: 'g2', type: 'group' }] } },
      ],
      type: 'invalidValue',
      detail: 'Operation 2: Group members must be users',
    },
    {
      name: 'a member value that is not a string',
      ops: [{ op: 'add', path: 'members', value: [{ value: true }] }],
      type: 'invalidValue',
      detail: 'Operation 1: Attribute "members[0].value" must be a string',
    },
    {
      name: 'a member without a value',
      ops: [{ op: 'Remove', path: 'members', value: [{ type: 'User' }] }],
      type: 'invalidValue',
      detail: 'Operation 1: Attribute "members[0].value" is required',
    },
    {
      name: 'a member of an unknown type',
      ops: [{ op: 'add', path: 'members', value: [{ value: 'x', type: 'Device' }] }],
      type: 'invalidValue',
      detail: 'Attribute "members[0].type" must be "User"',
    },
    {
      name: 'a member given as a bare string',
      ops: [{ op: 'add', path: 'members', value: ['u1'] }],
      type: 'invalidValue',
      detail: 'Operation 1: Attribute "members[0]" must be an object',
    },
    {
      name: 'a filtered add',
      ops: [{ op: 'add', path: 'members[value eq "u1"]', value: { value: 'u2' } }],
      type: 'invalidPath',
      detail:
        'Operation 1: "members[value eq "u1"]": a members filter can only be used with remove',
    },
    {
      name: 'a change of a member sub-attribute',
      ops: [{ op: 'replace', path: 'members.display', value: 'x' }],
      type: 'invalidPath',
      detail: 'members can only be added, removed or replaced whole',
    },
  ])('Should reject $name', ({ ops, type, detail }, { expect }) => {
    expect(() => plan(...ops)).toThrow(scimError(expect, type, detail))
  })
})
