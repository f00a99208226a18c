/**
 * The role snapshot answers a recomputation for the users it read, until a write prepared since
 * has recomputed any of them; users it did not read, or that are not users, it says so.
 */
import { describe, it } from 'vitest'
import { RoleSnapshot } from '../../../src/domain/role-snapshot'

const fact = (userId: string, groupId: string) => ({
  userId,
  groupId,
  joinedAt: '2026-12-01T00:00:00.000Z',
  roleId: null,
})

const snapshot = () =>
  new RoleSnapshot(
    ['ann', 'bob', 'gone'],
    [fact('ann', 'g1'), fact('ann', 'g2'), fact('bob', 'g1')],
    [
      { id: 'ann', roleId: null, roleGroupId: 'g2' },
      { id: 'bob', roleId: null, roleGroupId: 'g1' },
    ]
  )

describe('RoleSnapshot', () => {
  it("Should answer the users' memberships and stored roles, and nothing for a non-user", ({
    expect,
  }) => {
    const answer = snapshot().answer(['ann', 'gone'])
    expect(answer?.facts.map((f) => f.groupId)).toEqual(['g1', 'g2'])
    expect(answer?.states).toEqual([{ id: 'ann', roleId: null, roleGroupId: 'g2' }])
  })

  it('Should not answer users it did not read', ({ expect }) => {
    expect(snapshot().covers(['ann', 'carol'])).toBe(false)
    expect(snapshot().answer(['ann', 'carol'])).toBeUndefined()
  })

  it('Should stop answering for a user a write recomputed, and only for that user', ({
    expect,
  }) => {
    const s = snapshot()
    s.touch(['bob'])
    expect(s.answer(['bob'])).toBeUndefined()
    expect(s.answer(['ann', 'bob'])).toBeUndefined()
    expect(s.covers(['bob'])).toBe(true)
    expect(s.answer(['ann'])?.states).toHaveLength(1)
  })
})
