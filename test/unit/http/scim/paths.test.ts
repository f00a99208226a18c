import { describe, it } from 'vitest'
import { canonicalScimPath, scimBaseOf } from '../../../../src/http/scim/paths'

describe('canonicalScimPath', () => {
  it.for<[string, string]>([
    ['/scim/v2/users', '/scim/v2/Users'],
    ['/scim/v2/USERS/AbC-123', '/scim/v2/Users/AbC-123'],
    ['/scim/v2/groups/x/', '/scim/v2/Groups/x/'],
    ['/scim/v2/users/.SEARCH', '/scim/v2/Users/.search'],
    ['/scim/v1/serviceproviderconfig', '/scim/v1/ServiceProviderConfig'],
    ['/scim/v2/resourcetypes/user', '/scim/v2/ResourceTypes/user'],
    [
      '/rest/scim/v2/schemas/urn:ietf:params:scim:schemas:core:2.0:User',
      '/rest/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
    ],
    ['/scim/v2/Users', '/scim/v2/Users'],
    ['/scim/v2/widgets', '/scim/v2/widgets'],
    ['/scim/v2', '/scim/v2'],
    ['/scim/v2/', '/scim/v2/'],
    ['/admin/v1/tenants/users', '/admin/v1/tenants/users'],
    ['/scim/v20/users', '/scim/v20/users'],
  ])('Should read %s as %s', ([path, expected], { expect }) => {
    expect(canonicalScimPath(path)).toBe(expected)
  })
})

describe('scimBaseOf', () => {
  it.for<[string, string | undefined]>([
    ['/scim/v2/Users', '/scim/v2'],
    ['/scim/v1', '/scim/v1'],
    ['/rest/scim/v2/Users/1', '/rest/scim/v2'],
    ['/rest/scim/v20/Users', undefined],
    ['/agent/v1/agents', undefined],
  ])('Should find the base of %s', ([path, base], { expect }) => {
    expect(scimBaseOf(path)).toBe(base)
  })
})
