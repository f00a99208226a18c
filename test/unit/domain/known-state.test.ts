import { describe, it } from 'vitest'
import { ALL_USER_IDS_MAX, GROUP_MEMBERS_MAX, KnownState } from '../../../src/domain/known-state'
import { isWarm } from '../../../src/domain/warm'

const at = '2026-01-01T00:00:00.000Z'
const resource = (id: string) => ({ id, doc: {}, version: 1, createdAt: at, updatedAt: at })

describe('KnownState', () => {
  it('Should know the users it remembered and the members of the groups it remembered', ({
    expect,
  }) => {
    const known = new KnownState()
    known.rememberUser(resource('u1'))
    known.rememberGroup({ ...resource('g1'), roleId: null }, new Set(['u2']))
    expect(known.unknownUsers(['u1', 'u2', 'u3'])).toEqual(['u3'])
    expect(known.user('u1')?.id).toBe('u1')
    expect(known.group('g1')?.members).toEqual(new Set(['u2']))
  })

  it('Should keep a group larger than its bound without its members', ({ expect }) => {
    const known = new KnownState()
    const many = new Set(Array.from({ length: GROUP_MEMBERS_MAX + 1 }, (_, i) => `u${String(i)}`))
    known.rememberGroup({ ...resource('g1'), roleId: null }, many)
    expect(known.group('g1')?.members).toBe('too-many')
    expect(known.unknownUsers(['u1'])).toEqual(['u1'])
  })

  it('Should remember a write to a group as its members with the write applied', ({ expect }) => {
    const known = new KnownState()
    const g1 = { ...resource('g1'), roleId: null }
    const loaded = new Set(['u1', 'u2'])
    known.rememberGroup(g1, loaded)
    // A set just read is the caller's: the state keeps its own.
    loaded.add('stray')
    const before = known.group('g1')?.members
    expect(before).toEqual(new Set(['u1', 'u2']))
    known.rememberGroup({ ...g1, version: 2 }, before, { add: ['u3'], remove: ['u1'] })
    expect(known.group('g1')?.members).toEqual(new Set(['u2', 'u3']))
    expect(known.group('g1')?.group.version).toBe(2)
    expect(known.unknownUsers(['u2', 'u3', 'stray'])).toEqual(['stray'])
    // Members from before a write the state has since replaced: the write applies to them.
    known.rememberGroup(g1, new Set(['u9']), { add: ['u8'], remove: [] })
    expect(known.group('g1')?.members).toEqual(new Set(['u9', 'u8']))
    // A write that takes the group past its bound leaves it remembered without members.
    const full = new Set(Array.from({ length: GROUP_MEMBERS_MAX }, (_, i) => `m${String(i)}`))
    known.rememberGroup(g1, full)
    known.rememberGroup(g1, known.group('g1')?.members, { add: ['one-more'], remove: [] })
    expect(known.group('g1')?.members).toBe('too-many')
  })

  it('Should forget a group whose members are not known, and everything on clear', ({ expect }) => {
    const known = new KnownState()
    known.rememberGroup({ ...resource('g1'), roleId: null }, new Set())
    known.rememberGroup({ ...resource('g1'), roleId: null }, undefined)
    expect(known.group('g1')).toBeUndefined()
    known.rememberUser(resource('u1'))
    known.clear()
    expect([known.user('u1'), known.unknownUsers(['u1'])]).toEqual([undefined, ['u1']])
  })

  it('Should know every user id of a small tenant once given them all, until it forgets', ({
    expect,
  }) => {
    const known = new KnownState()
    known.rememberAllUserIds(['u1', 'u2'])
    expect(known.knowsAllUserIds).toBe(true)
    known.rememberUser(resource('u3'))
    expect(known.knowsAllUserIds).toBe(true)
    expect(known.unknownUsers(['u1', 'u3', 'nobody'])).toEqual(['nobody'])
    known.clear()
    expect(known.knowsAllUserIds).toBe(false)
    expect(known.wantsAllUserIds).toBe(true)
    const many = Array.from({ length: ALL_USER_IDS_MAX + 1 }, (_, i) => `u${String(i)}`)
    known.rememberAllUserIds(many)
    expect(known.knowsAllUserIds).toBe(false)
    // A tenant found too large is not loaded whole again, even after forgetting.
    known.clear()
    expect(known.wantsAllUserIds).toBe(false)
  })
})

describe('isWarm', () => {
  const needs = (users: string[], groups: string[], members: string[]) => ({
    users,
    groups,
    members,
  })

  it('Should say a write can be prepared without reading only when all it needs is known', ({
    expect,
  }) => {
    const known = new KnownState()
    expect(isWarm(known, needs([], [], []))).toBe(true)
    expect(isWarm(known, needs(['u1'], [], []))).toBe(false)
    known.rememberUser(resource('u1'))
    expect(isWarm(known, needs(['u1'], [], ['u1']))).toBe(true)
    // A member not known to be a user would be looked up.
    expect(isWarm(known, needs([], [], ['u2']))).toBe(false)
    known.rememberAllUserIds(['u1'])
    expect(isWarm(known, needs([], [], ['u2']))).toBe(true)
  })

  it('Should count a group as known only with its members', ({ expect }) => {
    const known = new KnownState()
    known.rememberGroup({ ...resource('g1'), roleId: null }, new Set(['u1']))
    expect(isWarm(known, needs([], ['g1'], []))).toBe(true)
    const many = new Set(Array.from({ length: GROUP_MEMBERS_MAX + 1 }, (_, i) => `m${String(i)}`))
    known.rememberGroup({ ...resource('g2'), roleId: null }, many)
    expect(isWarm(known, needs([], ['g2'], []))).toBe(false)
    expect(isWarm(known, needs([], ['g3'], []))).toBe(false)
  })
})
