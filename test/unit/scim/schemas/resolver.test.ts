import { describe, it } from 'vitest'
import {
  ACTIVTRAK_USER_SCHEMA,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
} from '../../../../src/scim/constants'
import type { AttrPath } from '../../../../src/scim/filter/ast'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, resolverFor } from '../../../../src/scim/schemas'

const resolveUser = resolverFor(USER_RESOURCE_TYPE)
const resolveGroup = resolverFor(GROUP_RESOURCE_TYPE)

/** The resolution as names: [schema, attribute, sub-attribute?]. */
function names(resolved: ReturnType<typeof resolveUser>): string[] | undefined {
  if (!resolved) return undefined
  return resolved.sub
    ? [resolved.schema, resolved.attr.name, resolved.sub.name]
    : [resolved.schema, resolved.attr.name]
}

describe('resolverFor(User)', () => {
  it.for<[AttrPath, string[]]>([
    [{ name: 'userName' }, [CORE_USER_SCHEMA, 'userName']],
    [{ name: 'USERNAME' }, [CORE_USER_SCHEMA, 'userName']],
    [{ name: 'username' }, [CORE_USER_SCHEMA, 'userName']],
    [{ urn: CORE_USER_SCHEMA, name: 'userName' }, [CORE_USER_SCHEMA, 'userName']],
    [{ urn: CORE_USER_SCHEMA.toUpperCase(), name: 'UserName' }, [CORE_USER_SCHEMA, 'userName']],
    [{ name: 'name', sub: 'GIVENNAME' }, [CORE_USER_SCHEMA, 'name', 'givenName']],
    [{ name: 'Emails', sub: 'Value' }, [CORE_USER_SCHEMA, 'emails', 'value']],
    [{ name: 'emails' }, [CORE_USER_SCHEMA, 'emails']],
    [{ name: 'addresses', sub: 'postalcode' }, [CORE_USER_SCHEMA, 'addresses', 'postalCode']],
    [{ name: 'groups', sub: '$REF' }, [CORE_USER_SCHEMA, 'groups', '$ref']],
    [{ name: 'id' }, [CORE_USER_SCHEMA, 'id']],
    [{ name: 'EXTERNALID' }, [CORE_USER_SCHEMA, 'externalId']],
    [{ urn: CORE_USER_SCHEMA, name: 'id' }, [CORE_USER_SCHEMA, 'id']],
    [{ name: 'meta', sub: 'lastmodified' }, [CORE_USER_SCHEMA, 'meta', 'lastModified']],
    [
      { urn: CORE_USER_SCHEMA, name: 'meta', sub: 'created' },
      [CORE_USER_SCHEMA, 'meta', 'created'],
    ],
    [
      { urn: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' },
      [ENTERPRISE_USER_SCHEMA, 'employeeNumber'],
    ],
    [
      { urn: ENTERPRISE_USER_SCHEMA.toLowerCase(), name: 'EMPLOYEENUMBER' },
      [ENTERPRISE_USER_SCHEMA, 'employeeNumber'],
    ],
    [
      { urn: ENTERPRISE_USER_SCHEMA, name: 'Manager', sub: 'VALUE' },
      [ENTERPRISE_USER_SCHEMA, 'manager', 'value'],
    ],
    [
      { urn: ACTIVTRAK_USER_SCHEMA, name: 'userprincipalnames', sub: 'value' },
      [ACTIVTRAK_USER_SCHEMA, 'userPrincipalNames', 'value'],
    ],
    [{ urn: ACTIVTRAK_USER_SCHEMA, name: 'Tracking' }, [ACTIVTRAK_USER_SCHEMA, 'tracking']],
  ])('Should resolve %j to its canonical attribute', ([path, expected], { expect }) => {
    expect(names(resolveUser(path))).toEqual(expected)
  })

  it.for<[string, AttrPath]>([
    ['an unknown attribute', { name: 'nickname2' }],
    ['an extension attribute without its URN', { name: 'employeeNumber' }],
    ['an extension attribute under the core URN', { urn: CORE_USER_SCHEMA, name: 'department' }],
    ['a core attribute under an extension URN', { urn: ENTERPRISE_USER_SCHEMA, name: 'userName' }],
    ['a common attribute under an extension URN', { urn: ENTERPRISE_USER_SCHEMA, name: 'id' }],
    ['another resource type schema', { urn: CORE_GROUP_SCHEMA, name: 'displayName' }],
    [
      'an unknown URN',
      { urn: 'urn:ietf:params:scim:schemas:extension:Custom:2.0:User', name: 'x' },
    ],
    [
      'the malformed Entra URN',
      { urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User', name: 'department' },
    ],
    ['a sub-attribute of a simple attribute', { name: 'userName', sub: 'value' }],
    ['a sub-attribute of a boolean', { name: 'active', sub: 'value' }],
    ['an unknown sub-attribute', { name: 'name', sub: 'nickName' }],
    ['a bare extension URN (name "")', { urn: ENTERPRISE_USER_SCHEMA, name: '' }],
    ['an empty name', { name: '' }],
  ])('Should not resolve %s', ([, path], { expect }) => {
    expect(resolveUser(path)).toBeUndefined()
  })

  it('Should return the catalog definitions themselves', ({ expect }) => {
    const resolved = resolveUser({ name: 'userName' })
    expect(resolved?.attr).toBe(USER_RESOURCE_TYPE.schema.attributes[0])
  })

  it('Should build one resolver per resource type', ({ expect }) => {
    expect(resolverFor(USER_RESOURCE_TYPE)).toBe(resolveUser)
  })
})

describe('resolverFor(Group)', () => {
  it.for<[AttrPath, string[] | undefined]>([
    [{ name: 'DISPLAYNAME' }, [CORE_GROUP_SCHEMA, 'displayName']],
    [
      { urn: CORE_GROUP_SCHEMA, name: 'members', sub: 'Value' },
      [CORE_GROUP_SCHEMA, 'members', 'value'],
    ],
    [{ name: 'members', sub: 'type' }, [CORE_GROUP_SCHEMA, 'members', 'type']],
    [{ name: 'externalId' }, [CORE_GROUP_SCHEMA, 'externalId']],
    [{ name: 'meta', sub: 'version' }, [CORE_GROUP_SCHEMA, 'meta', 'version']],
    [{ name: 'userName' }, undefined],
    [{ urn: CORE_USER_SCHEMA, name: 'displayName' }, undefined],
    [{ urn: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' }, undefined],
  ])('Should resolve %j as %j', ([path, expected], { expect }) => {
    expect(names(resolveGroup(path))).toEqual(expected)
  })
})
