import { describe, it } from 'vitest'
import type { UserIdentifiers } from '../../../src/directory/identifiers'
import { chooseLink, linkChanged, type AgentIdentifiers } from '../../../src/directory/linking'

const ids = (over: Partial<UserIdentifiers>): UserIdentifiers => ({
  userName: '',
  upns: [],
  workEmails: [],
  employeeNumber: null,
  ...over,
})
const agent = (over: Partial<AgentIdentifiers>): AgentIdentifiers => ({
  upn: null,
  email: null,
  employeeId: null,
  ...over,
})

describe('chooseLink', () => {
  const byUpn = { userId: 'u-upn', ids: ids({ upns: ['a@x.com'] }) }
  const byEmail = { userId: 'u-mail', ids: ids({ workEmails: ['a@x.com', 'b@x.com'] }) }
  const byEmployee = { userId: 'u-emp', ids: ids({ employeeNumber: 'e1' }) }

  it.for([
    [
      'UPN beats email and employeeNumber',
      agent({ upn: 'a@x.com', email: 'b@x.com', employeeId: 'e1' }),
      { userId: 'u-upn', rule: 'upn' },
    ],
    [
      'email beats employeeNumber',
      agent({ email: 'b@x.com', employeeId: 'e1' }),
      { userId: 'u-mail', rule: 'email' },
    ],
    [
      'employeeNumber when nothing else matches',
      agent({ upn: 'z@x.com', employeeId: 'e1' }),
      { userId: 'u-emp', rule: 'employeeNumber' },
    ],
    [
      'nothing when no identifier matches',
      agent({ upn: 'z@x.com', email: 'z@x.com', employeeId: 'e9' }),
      null,
    ],
    ['nothing for an agent without identifiers', agent({}), null],
  ] as const)('Should pick %s', ([, a, expected], { expect }) => {
    expect(chooseLink(a, [byEmployee, byEmail, byUpn])).toEqual(expected)
  })

  it('Should pick the oldest user (lowest id) when several match at one rule', ({ expect }) => {
    const candidates = [
      { userId: '01b', ids: ids({ upns: ['same@x.com'] }) },
      { userId: '01a', ids: ids({ upns: ['same@x.com'] }) },
    ]
    expect(chooseLink(agent({ upn: 'same@x.com' }), candidates)).toEqual({
      userId: '01a',
      rule: 'upn',
    })
  })

  it('Should tell when a link changes', ({ expect }) => {
    expect(linkChanged({ userId: 'u', rule: 'upn' }, { userId: 'u', rule: 'upn' })).toBe(false)
    expect(linkChanged({ userId: 'u', rule: 'upn' }, { userId: 'u', rule: 'email' })).toBe(true)
    expect(linkChanged({ userId: null, rule: null }, null)).toBe(false)
    expect(linkChanged({ userId: 'u', rule: 'upn' }, null)).toBe(true)
  })
})
