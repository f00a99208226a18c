import { describe, it, type ExpectStatic } from 'vitest'
import { parsePatchRequest } from '../../../../src/scim/patch'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations })

/** Matches a thrown ScimError by status, scimType and a fragment of its detail. */
const scimError = (expect: ExpectStatic, scimType: string, detail: string): unknown =>
  expect.objectContaining({
    name: 'ScimError',
    status: 400,
    scimType,
    message: expect.stringContaining(detail) as unknown,
  })

describe('parsePatchRequest', () => {
  it.for([
    {
      name: 'Entra capitalised op names',
      body: body(
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'nickName', value: 'Babs' }
      ),
      expected: [
        {
          op: 'replace',
          index: 0,
          pathText: 'active',
          path: { attr: { name: 'active' } },
          value: 'False',
        },
        {
          op: 'add',
          index: 1,
          pathText: 'nickName',
          path: { attr: { name: 'nickName' } },
          value: 'Babs',
        },
      ],
    },
    {
      name: 'a missing schemas and lower-case operations',
      body: { operations: [{ op: 'remove', path: 'title' }] },
      expected: [{ op: 'remove', index: 0, pathText: 'title', path: { attr: { name: 'title' } } }],
    },
    {
      name: 'a schemas list without PatchOp (tolerated)',
      body: { schemas: ['urn:x'], Operations: [{ op: 'replace', value: { active: false } }] },
      expected: [{ op: 'replace', index: 0, value: { active: false } }],
    },
    {
      name: 'a null or empty path as no path',
      body: body(
        { op: 'add', path: null, value: { a: 1 } },
        { op: 'add', path: '', value: { b: 2 } }
      ),
      expected: [
        { op: 'add', index: 0, value: { a: 1 } },
        { op: 'add', index: 1, value: { b: 2 } },
      ],
    },
    {
      name: 'a remove with a value (Entra member removal)',
      body: body({ op: 'Remove', path: 'members', value: [{ value: 'u1' }] }),
      expected: [
        {
          op: 'remove',
          index: 0,
          pathText: 'members',
          path: { attr: { name: 'members' } },
          value: [{ value: 'u1' }],
        },
      ],
    },
    {
      name: 'a value-filtered path',
      body: body({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'a@b.com' }),
      expected: [
        {
          op: 'replace',
          index: 0,
          pathText: 'emails[type eq "work"].value',
          path: {
            attr: { name: 'emails' },
            filter: { kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' },
            sub: 'value',
          },
          value: 'a@b.com',
        },
      ],
    },
  ])('Should accept $name', ({ body: input, expected }, { expect }) => {
    expect(parsePatchRequest(input)).toEqual(expected)
  })

  it.for([
    {
      name: 'a body that is not an object',
      body: [1],
      type: 'invalidSyntax',
      detail: 'must be a JSON object',
    },
    { name: 'a string body', body: 'x', type: 'invalidSyntax', detail: 'must be a JSON object' },
    {
      name: 'a body without Operations',
      body: { schemas: [PATCH_OP] },
      type: 'invalidSyntax',
      detail: '"Operations" array',
    },
    { name: 'empty Operations', body: body(), type: 'invalidSyntax', detail: 'is empty' },
    {
      name: 'a bad op name',
      body: body(
        { op: 'add', path: 'title', value: 'x' },
        { op: 'explode', path: 'title', value: 'x' }
      ),
      type: 'invalidSyntax',
      detail: 'Operation 2: op must be add, remove or replace (got "explode")',
    },
    {
      name: 'an operation that is not an object',
      body: body('add'),
      type: 'invalidSyntax',
      detail: 'Operation 1: must be a JSON object',
    },
    {
      name: 'a missing value',
      body: body({ op: 'Replace', path: 'title' }),
      type: 'invalidSyntax',
      detail: 'Operation 1: replace needs a "value"',
    },
    {
      name: 'a remove without path',
      body: body({ op: 'remove' }),
      type: 'noTarget',
      detail: 'Operation 1: remove needs a "path"',
    },
    {
      name: 'a non-string path',
      body: body({ op: 'add', path: 3, value: 1 }),
      type: 'invalidSyntax',
      detail: 'Operation 1: path must be a string',
    },
    {
      name: 'a no-path value that is not an object',
      body: body({ op: 'replace', value: 'x' }),
      type: 'invalidSyntax',
      detail: 'Operation 1: without a "path", "value" must be an object',
    },
    {
      name: 'an unparsable path',
      body: body({ op: 'add', path: 'emails[type eq', value: 1 }),
      type: 'invalidPath',
      detail: 'Operation 1: ',
    },
    {
      name: 'more than 1000 operations',
      body: body(...Array.from({ length: 1001 }, () => ({ op: 'remove', path: 'title' }))),
      type: 'tooMany',
      detail: '1001 operations; at most 1000',
    },
  ])('Should reject $name', ({ body: input, type, detail }, { expect }) => {
    expect(() => parsePatchRequest(input)).toThrow(scimError(expect, type, detail))
  })

  it('Should accept exactly 1000 operations', ({ expect }) => {
    const ops = Array.from({ length: 1000 }, () => ({ op: 'remove', path: 'title' }))
    expect(parsePatchRequest(body(...ops))).toHaveLength(1000)
  })
})
