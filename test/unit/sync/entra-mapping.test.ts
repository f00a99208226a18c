import { describe, it } from 'vitest'
import type { GraphGroup, GraphUser } from '../../../src/graph/schemas'
import {
  classifyGroup,
  guestHomeAddress,
  namesOtherObject,
  scimUserFromGraph,
} from '../../../src/sync/entra-mapping'

const user = (over: Partial<GraphUser>): GraphUser => ({
  id: 'u1',
  userPrincipalName: 'ann@contoso.com',
  mail: null,
  employeeId: null,
  displayName: null,
  givenName: null,
  surname: null,
  accountEnabled: true,
  otherMails: [],
  proxyAddresses: [],
  userType: null,
  ...over,
})

const group = (over: Partial<GraphGroup>): GraphGroup => ({
  id: 'g1',
  displayName: 'G',
  groupTypes: [],
  securityEnabled: true,
  mailEnabled: false,
  membershipRule: null,
  ...over,
})

const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('guestHomeAddress', () => {
  it.for([
    ['alias_theirdomain.com#EXT#@yourtenant.onmicrosoft.com', 'alias@theirdomain.com'],
    ['bob.kelly_northwind.co.uk#EXT#@contoso.onmicrosoft.com', 'bob.kelly@northwind.co.uk'],
    ['first_last_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'first_last@fabrikam.com'],
    ['ann@contoso.com', undefined],
  ] as const)('Should turn %s into %s', ([upn, home], { expect }) => {
    expect(guestHomeAddress(upn)).toBe(home)
  })
})

describe('classifyGroup', () => {
  it.for([
    ['a static security group', group({}), 'security'],
    [
      'a dynamic security group',
      group({ groupTypes: ['DynamicMembership'], membershipRule: 'x' }),
      'security',
    ],
    ['a Microsoft 365 group', group({ groupTypes: ['Unified'], mailEnabled: true }), 'm365'],
    ['a distribution group', group({ securityEnabled: false, mailEnabled: true }), 'distribution'],
  ] as const)('Should classify %s', ([, g, kind], { expect }) => {
    expect(classifyGroup(g)).toBe(kind)
  })
})

describe('scimUserFromGraph', () => {
  it('Should map identifiers, account state and names', ({ expect }) => {
    const body = scimUserFromGraph(
      user({
        mail: 'Ann@Contoso.com',
        employeeId: 'E1',
        displayName: 'Ann B',
        givenName: 'Ann',
        surname: 'B',
        accountEnabled: false,
        userType: 'Member',
      })
    )
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, ACTIVTRAK],
      externalId: 'u1',
      userName: 'ann@contoso.com',
      active: false,
      userType: 'Member',
      displayName: 'Ann B',
      name: { givenName: 'Ann', familyName: 'B' },
      emails: [{ value: 'Ann@Contoso.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: 'E1' },
      [ACTIVTRAK]: { userPrincipalNames: [{ value: 'ann@contoso.com' }] },
    })
  })

  it('Should give a guest both its #EXT# UPN and its home address as UPNs', ({ expect }) => {
    const body = scimUserFromGraph(
      user({
        userPrincipalName: 'annb_fabrikam.com#EXT#@contoso.onmicrosoft.com',
        userType: 'Guest',
      })
    )
    expect(body[ACTIVTRAK]).toEqual({
      userPrincipalNames: [
        { value: 'annb_fabrikam.com#EXT#@contoso.onmicrosoft.com' },
        { value: 'annb@fabrikam.com' },
      ],
    })
    expect(body.emails).toBeUndefined()
  })
})

describe('namesOtherObject', () => {
  const self = '10000000-0000-4000-a000-000000000001'
  it.for([
    ['10000000-0000-4000-a000-000000000002', true],
    [self.toUpperCase(), false],
    ['annb', false],
    ['00u1abcd2EFGH3ijk4x7', false],
    [undefined, false],
  ] as const)(
    'Should tell whether externalId %s names another Entra object: %s',
    ([ext, other], { expect }) => {
      expect(namesOtherObject(ext, self)).toBe(other)
    }
  )
})
