import { describe, it } from 'vitest'
import {
  isActive,
  sameIdentifiers,
  trackingOf,
  userIdentifiers,
} from '../../../src/directory/identifiers'

const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('userIdentifiers', () => {
  it('Should fold UPNs (extension first, then userName), work or untyped emails and employeeNumber', ({
    expect,
  }) => {
    const doc = {
      userName: 'Ann@Contoso.com',
      emails: [
        { value: 'Ann.Work@Contoso.com', type: 'Work' },
        { value: 'ann@home.example', type: 'home' },
        { value: 'Plain@X.com' },
      ],
      [ACTIVTRAK]: {
        userPrincipalNames: [{ value: ' ANN@corp.contoso.com ' }, { value: 'ann@contoso.com' }],
        tracking: false,
      },
      [ENTERPRISE]: { employeeNumber: 'E-7' },
    }
    expect(userIdentifiers(doc)).toEqual({
      userName: 'Ann@Contoso.com',
      upns: ['ann@corp.contoso.com', 'ann@contoso.com'],
      workEmails: ['ann.work@contoso.com', 'plain@x.com'],
      employeeNumber: 'e-7',
    })
    expect(trackingOf(doc)).toBe(false)
  })

  it('Should treat missing values as absent', ({ expect }) => {
    expect(userIdentifiers({ userName: 'u' })).toEqual({
      userName: 'u',
      upns: ['u'],
      workEmails: [],
      employeeNumber: null,
    })
    expect(trackingOf({})).toBeUndefined()
    expect(isActive({})).toBe(true)
    expect(isActive({ active: false })).toBe(false)
  })

  it('Should compare identifier sets for linking purposes', ({ expect }) => {
    const a = userIdentifiers({ userName: 'u', displayName: 'A' })
    expect(sameIdentifiers(a, userIdentifiers({ userName: 'U', displayName: 'B' }))).toBe(true)
    expect(sameIdentifiers(a, userIdentifiers({ userName: 'v' }))).toBe(false)
  })
})
