import { describe, it } from 'vitest'
import { diffDocuments } from '../../../src/directory/changes'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('diffDocuments', () => {
  it('Should list scalar changes by dotted and URN-qualified paths with before and after', ({
    expect,
  }) => {
    const before = {
      userName: 'a',
      name: { givenName: 'Al', familyName: 'X' },
      [ENTERPRISE]: { department: 'Sales', manager: { value: 'm1' } },
    }
    const after = {
      userName: 'a',
      name: { givenName: 'Alan', familyName: 'X' },
      title: 'CTO',
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'm2' } },
    }
    expect(diffDocuments(before, after)).toEqual([
      { attr: 'name.givenName', before: 'Al', after: 'Alan' },
      { attr: 'title', after: 'CTO' },
      { attr: `${ENTERPRISE}:department`, before: 'Sales', after: 'R&D' },
      { attr: `${ENTERPRISE}:manager.value`, before: 'm1', after: 'm2' },
    ])
  })

  it('Should list multi-valued attributes with element counts only', ({ expect }) => {
    const before = { emails: [{ value: 'a@x' }] }
    const after = { emails: [{ value: 'a@x' }, { value: 'b@x' }] }
    expect(diffDocuments(before, after)).toEqual([
      { attr: 'emails', countBefore: 1, countAfter: 2 },
    ])
  })

  it('Should describe a create and a delete, and never a password or the schemas list', ({
    expect,
  }) => {
    const doc = { schemas: ['urn:x'], userName: 'u', active: false, password: 'secret' }
    expect(diffDocuments(undefined, doc)).toEqual([
      { attr: 'active', after: false },
      { attr: 'userName', after: 'u' },
    ])
    expect(diffDocuments(doc, undefined)).toEqual([
      { attr: 'active', before: false },
      { attr: 'userName', before: 'u' },
    ])
    expect(diffDocuments(doc, { ...doc, password: 'other' })).toEqual([])
  })
})
