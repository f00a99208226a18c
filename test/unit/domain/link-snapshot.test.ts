/**
 * The link snapshot answers a user create from what it read only while no write prepared since
 * has touched what that create's links depend on: its identifiers, the agents they name, those
 * agents' other identifiers and linked users. Anything else it leaves to a read of D1.
 */
import { describe, it } from 'vitest'
import { LinkSnapshot } from '../../../src/domain/link-snapshot'
import type { StoredResource } from '../../../src/model/resource'
import type { AgentRow, IdentifierSets } from '../../../src/storage/repos/agents'

const agent = (id: string, ids: Partial<AgentRow>): AgentRow => ({
  tenantId: 'us_t',
  id,
  logonName: id,
  domain: 'CONTOSO',
  email: null,
  upn: null,
  employeeId: null,
  emailCi: null,
  upnCi: null,
  employeeIdCi: null,
  lastSeen: '2026-12-01T00:00:00.000Z',
  userId: null,
  linkRule: null,
  state: 'active',
  removedAt: null,
  mergedInto: null,
  mergeId: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...ids,
})

const user: StoredResource = {
  id: 'u-old',
  doc: { userName: 'old@contoso.com' },
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
}

const sets = (s: Partial<IdentifierSets>): IdentifierSets => ({
  upns: [],
  emails: [],
  employeeIds: [],
  ...s,
})

/** Two creates' identifiers read: ann (an agent by UPN, also reporting an email) and bob. */
function snapshot(): LinkSnapshot {
  return new LinkSnapshot(
    sets({ upns: ['ann@contoso.com', 'bob@contoso.com'], emails: ['bob.mail@contoso.com'] }),
    {
      agents: [
        agent('dev-ann', {
          upnCi: 'ann@contoso.com',
          emailCi: 'shared@contoso.com',
          userId: 'u-old',
          linkRule: 'email',
        }),
        agent('dev-bob', { upnCi: 'bob@contoso.com' }),
      ],
      gone: [],
      users: [user],
      complete: true,
    }
  )
}

const ann = sets({ upns: ['ann@contoso.com'] })
const bob = sets({ upns: ['bob@contoso.com'], emails: ['bob.mail@contoso.com'] })

describe('LinkSnapshot', () => {
  it('Should answer a create with the agents its identifiers name and the users read', ({
    expect,
  }) => {
    const answer = snapshot().answer(ann)
    expect(answer?.agents.map((a) => a.id)).toEqual(['dev-ann'])
    expect(answer?.users).toEqual([user])
    expect(
      snapshot()
        .answer(bob)
        ?.agents.map((a) => a.id)
    ).toEqual(['dev-bob'])
  })

  it('Should not answer identifiers it did not read', ({ expect }) => {
    expect(snapshot().covers(sets({ upns: ['carol@contoso.com'] }))).toBe(false)
    expect(snapshot().answer(sets({ upns: ['carol@contoso.com'] }))).toBeUndefined()
    expect(
      snapshot().answer(sets({ upns: ['ann@contoso.com'], employeeIds: ['7'] }))
    ).toBeUndefined()
  })

  it('Should keep answering after a write that touched nothing it depends on', ({ expect }) => {
    const s = snapshot()
    s.touch({ sets: bob, userIds: ['u-bob'], agentIds: ['dev-bob'] })
    expect(s.answer(ann)?.agents.map((a) => a.id)).toEqual(['dev-ann'])
  })

  it.for([
    [
      'the same identifier',
      { sets: sets({ upns: ['ann@contoso.com'] }), userIds: [], agentIds: [] },
    ],
    [
      'another identifier of the agent it names',
      { sets: sets({ emails: ['shared@contoso.com'] }), userIds: [], agentIds: [] },
    ],
    ['the agent it names', { sets: sets({}), userIds: [], agentIds: ['dev-ann'] }],
    ['the user that agent is linked to', { sets: sets({}), userIds: ['u-old'], agentIds: [] }],
  ] as const)('Should stop answering once a write touched %s', ([, touch], { expect }) => {
    const s = snapshot()
    s.touch(touch)
    expect(s.answer(ann)).toBeUndefined()
    expect(s.answer(bob)).toBeDefined()
    // It still read them: the create is prepared, and reads D1 for what the snapshot cannot say.
    expect(s.covers(ann)).toBe(true)
  })

  it('Should answer nothing once a write ended a merge', ({ expect }) => {
    const s = snapshot()
    s.spoil()
    expect(s.answer(ann)).toBeUndefined()
    expect(s.answer(bob)).toBeUndefined()
  })
})
