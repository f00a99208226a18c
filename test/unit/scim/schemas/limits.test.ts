import { describe, it } from 'vitest'
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../../../src/scim/constants'
import { applyPatch, parsePatchRequest, planGroupPatch } from '../../../../src/scim/patch'
import {
  ALL_SCHEMAS,
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
  resolverFor,
  type ScimDocument,
} from '../../../../src/scim/schemas'
import { schemaResource } from '../../../../src/scim/schemas/discovery'
import {
  MAX_IDENTIFIER_LENGTH,
  MAX_MEMBERS_PER_REQUEST,
  MAX_STRING_LENGTH,
  MAX_VALUES,
} from '../../../../src/scim/schemas/limits'
import { normalizeResource } from '../../../../src/scim/schemas/normalize'
import { catchScimError } from './catch-scim-error'

const user = (body: Record<string, unknown>) =>
  normalizeResource(
    USER_RESOURCE_TYPE,
    { userName: 'ada@example.com', ...body },
    { mode: 'create' }
  )
const group = (body: Record<string, unknown>) =>
  normalizeResource(GROUP_RESOURCE_TYPE, { displayName: 'Team', ...body }, { mode: 'replace' })
const invalidValue = (detail: string) => ({ status: 400, scimType: 'invalidValue', detail })
const emails = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ value: `e${String(i)}@x.com` }))
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ value: i.toString(36) }))
const x = (n: number) => 'x'.repeat(n)

const patchUser = (doc: ScimDocument, ...operations: unknown[]) =>
  applyPatch(doc, parsePatchRequest({ Operations: operations }), {
    resourceType: USER_RESOURCE_TYPE,
    resolve: resolverFor(USER_RESOURCE_TYPE),
  })

describe('Value limits on POST and PUT bodies', () => {
  it.for<[string, () => unknown, string]>([
    [
      'a 1 MiB userName',
      () => user({ userName: x(1024 * 1024) }),
      'Attribute "userName" is 1048576 characters long; at most 1024 are accepted',
    ],
    [
      'a User displayName over 1,024',
      () => user({ displayName: x(1025) }),
      'Attribute "displayName" is 1025 characters long; at most 1024 are accepted',
    ],
    [
      'an externalId over 1,024',
      () => group({ externalId: x(1025) }),
      'Attribute "externalId" is 1025 characters long; at most 1024 are accepted',
    ],
    [
      'a Group displayName over 1,024',
      () => group({ displayName: x(1025) }),
      'Attribute "displayName" is 1025 characters long; at most 1024 are accepted',
    ],
    [
      'a title over 4,096',
      () => user({ title: x(4097) }),
      'Attribute "title" is 4097 characters long; at most 4096 are accepted',
    ],
    [
      'a sub-attribute over 4,096',
      () => user({ emails: [{ value: 'a@x.com' }, { value: x(5000) }] }),
      'Attribute "emails[1].value" is 5000 characters long; at most 4096 are accepted',
    ],
    [
      'an extension attribute over 4,096',
      () => user({ [ENTERPRISE_USER_SCHEMA]: { department: x(4097) } }),
      `Attribute "${ENTERPRISE_USER_SCHEMA}:department" is 4097 characters long; at most 4096 are accepted`,
    ],
    [
      '10,000 emails',
      () => user({ emails: emails(10_000) }),
      'Attribute "emails" has 10000 values; at most 100 are accepted',
    ],
    [
      '101 userPrincipalNames',
      () => user({ [ACTIVTRAK_USER_SCHEMA]: { userPrincipalNames: emails(101) } }),
      `Attribute "${ACTIVTRAK_USER_SCHEMA}:userPrincipalNames" has 101 values; at most 100 are accepted`,
    ],
    [
      `${String(MAX_MEMBERS_PER_REQUEST + 1)} group members`,
      () => group({ members: members(MAX_MEMBERS_PER_REQUEST + 1) }),
      'Attribute "members" has 50001 values; at most 50000 are accepted per request',
    ],
  ])('Should refuse %s with 400 invalidValue', ([, run, detail], { expect }) => {
    expect(catchScimError(run)).toEqual(invalidValue(detail))
  })

  it('Should accept values at the limits', ({ expect }) => {
    const doc = user({
      userName: x(MAX_IDENTIFIER_LENGTH),
      title: x(MAX_STRING_LENGTH),
      emails: emails(MAX_VALUES),
      x509Certificates: [{ value: x(12_000) }],
    })
    expect(doc.userName).toHaveLength(MAX_IDENTIFIER_LENGTH)
    expect(doc.emails).toHaveLength(MAX_VALUES)
  })

  it('Should accept a group with thousands of members in one body', ({ expect }) => {
    expect(group({ members: members(20_000) }).members).toHaveLength(20_000)
  })
})

describe('Value limits on PATCH', () => {
  const stored: ScimDocument = user({ emails: emails(MAX_VALUES) })

  it('Should refuse an add that takes a list over 100 values, naming the operation', ({
    expect,
  }) => {
    const error = catchScimError(() =>
      patchUser(
        stored,
        { op: 'replace', path: 'title', value: 'ok' },
        { op: 'add', path: 'emails', value: [{ value: 'one.more@x.com' }] }
      )
    )
    expect(error).toEqual(
      invalidValue('Operation 2: Attribute "emails" has 101 values; at most 100 are accepted')
    )
  })

  it.for<[string, unknown, string]>([
    [
      'a value too long',
      { op: 'replace', path: 'name.givenName', value: x(4097) },
      'Operation 1: Attribute "name.givenName" is 4097 characters long; at most 4096 are accepted',
    ],
    [
      'a no-path value too long',
      { op: 'replace', value: { userName: x(2000) } },
      'Operation 1: Attribute "userName" is 2000 characters long; at most 1024 are accepted',
    ],
    [
      'too many values in one operation',
      { op: 'replace', path: 'phoneNumbers', value: emails(101) },
      'Operation 1: Attribute "phoneNumbers" has 101 values; at most 100 are accepted',
    ],
    [
      'a filtered value too long',
      {
        op: 'replace',
        path: `${ACTIVTRAK_USER_SCHEMA}:userPrincipalNames[value eq null].value`,
        value: x(4097),
      },
      `Operation 1: Attribute "${ACTIVTRAK_USER_SCHEMA}:userPrincipalNames.value" is 4097 characters long; at most 4096 are accepted`,
    ],
  ])('Should refuse %s', ([, operation, detail], { expect }) => {
    expect(catchScimError(() => patchUser(stored, operation))).toEqual(invalidValue(detail))
  })

  it('Should still let a list stored over the limit shrink', ({ expect }) => {
    const over: ScimDocument = { ...stored, emails: emails(150) }
    const { doc } = patchUser(over, { op: 'remove', path: 'emails[value eq "e0@x.com"]' })
    expect(doc.emails).toHaveLength(149)
  })

  it('Should bound the members named by all operations of one group PATCH', ({ expect }) => {
    const half = MAX_MEMBERS_PER_REQUEST / 2
    const ops = (extra: number) =>
      parsePatchRequest({
        Operations: [
          { op: 'add', path: 'members', value: members(half) },
          { op: 'remove', path: 'members', value: members(half + extra) },
        ],
      })
    expect(planGroupPatch(ops(0)).members).toHaveLength(2)
    expect(catchScimError(() => planGroupPatch(ops(1)))).toEqual(
      invalidValue('Attribute "members" has 50001 values; at most 50000 are accepted per request')
    )
  })
})

describe('Limits in /Schemas', () => {
  const attribute = (schemaName: string, path: string[]): Record<string, unknown> | undefined => {
    const schema = ALL_SCHEMAS.find((s) => s.name === schemaName)
    let list = schema ? (schemaResource(schema, 'https://x').attributes as unknown[]) : []
    let found: Record<string, unknown> | undefined
    for (const name of path) {
      found = list.find((a) => (a as { name: string }).name === name) as
        Record<string, unknown> | undefined
      list = (found?.subAttributes as unknown[] | undefined) ?? []
    }
    return found
  }

  it.for<[string, string[], string]>([
    ['User', ['userName'], 'At most 1024 characters.'],
    ['User', ['title'], 'At most 4096 characters.'],
    ['User', ['emails'], 'At most 100 values.'],
    ['User', ['emails', 'value'], 'At most 4096 characters.'],
    ['Group', ['displayName'], 'At most 1024 characters.'],
    ['Group', ['members'], 'At most 50000 members per request.'],
    ['ActivTrakUser', ['userPrincipalNames'], 'At most 100 values.'],
  ])('Should state the limit of %s %o', ([schema, path, sentence], { expect }) => {
    expect(attribute(schema, path)?.description).toMatch(new RegExp(`  ${sentence}$`))
  })

  it('Should state no length for booleans', ({ expect }) => {
    expect(attribute('User', ['active'])?.description).not.toContain('At most')
  })
})
