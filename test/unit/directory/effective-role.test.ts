import { describe, it } from 'vitest'
import {
  effectiveRole,
  roleGivenBy,
  roleSource,
  type MembershipFact,
} from '../../../src/directory/effective-role'

const m = (groupId: string, joinedAt: string, roleId: string | null): MembershipFact => ({
  groupId,
  joinedAt,
  roleId,
})

describe('effectiveRole', () => {
  const memberships = [
    m('g1', '2026-01-01T00:00:00.000Z', 'admin'),
    m('g2', '2026-03-01T00:00:00.000Z', null),
    m('g3', '2026-02-01T00:00:00.000Z', 'analyst'),
  ]

  it('Should take the most recently joined role-bearing group in group-roles mode', ({
    expect,
  }) => {
    expect(effectiveRole(memberships, 'group-roles', 'creator')).toEqual({
      roleId: 'analyst',
      viaGroupId: 'g3',
    })
  })

  it('Should fall back to the default role when no group carries one', ({ expect }) => {
    expect(
      effectiveRole([m('g2', '2026-03-01T00:00:00.000Z', null)], 'group-roles', 'creator')
    ).toEqual({ roleId: 'creator', viaGroupId: null })
    expect(effectiveRole([], 'group-roles', null)).toEqual({ roleId: null, viaGroupId: null })
  })

  it('Should make the most recently joined group the role in groups-as-roles mode', ({
    expect,
  }) => {
    expect(effectiveRole(memberships, 'groups-as-roles', 'creator')).toEqual({
      roleId: null,
      viaGroupId: 'g2',
    })
  })

  it('Should break a tie in join time by the later-created group (larger UUIDv7)', ({ expect }) => {
    const tie = [
      m('01a', '2026-01-01T00:00:00.000Z', 'r1'),
      m('01b', '2026-01-01T00:00:00.000Z', 'r2'),
    ]
    expect(effectiveRole(tie, 'group-roles', null)).toEqual({ roleId: 'r2', viaGroupId: '01b' })
  })
})

describe('roleSource', () => {
  const groupRoles = { roleMode: 'group-roles' as const, defaultRoleId: 'creator' }
  const groupsAsRoles = { roleMode: 'groups-as-roles' as const, defaultRoleId: 'creator' }

  it.for<[string, Parameters<typeof roleSource>, ReturnType<typeof roleSource>]>([
    [
      'the default role for a user in no role-bearing group',
      [{ roleId: null, viaGroupId: null }, groupRoles],
      { kind: 'default', roleId: 'creator' },
    ],
    [
      'no role without a default',
      [
        { roleId: null, viaGroupId: null },
        { ...groupRoles, defaultRoleId: null },
      ],
      null,
    ],
    [
      'the role a group carries',
      [{ roleId: 'admin', viaGroupId: 'g1' }, groupRoles],
      { kind: 'group-role', roleId: 'admin', viaGroupId: 'g1' },
    ],
    [
      'the group itself in groups-as-roles mode',
      [{ roleId: null, viaGroupId: 'g1' }, groupsAsRoles],
      { kind: 'group', groupId: 'g1' },
    ],
    [
      'the default in groups-as-roles mode for a user in no group',
      [{ roleId: null, viaGroupId: null }, groupsAsRoles],
      { kind: 'default', roleId: 'creator' },
    ],
  ])('Should read %s', ([, args, expected], { expect }) => {
    expect(roleSource(...args)).toEqual(expected)
  })
})

describe('The role a group gives its members', () => {
  const sales = { id: 'g1', displayName: 'Sales', role: { id: 'r1', name: 'Editor' } }
  const unassigned = { id: 'g2', displayName: 'Ops', role: null }

  it.for([
    [
      'a group carrying a role, in group-roles mode',
      'group-roles',
      sales,
      { id: 'r1', name: 'Editor' },
    ],
    ['a group carrying none, in group-roles mode', 'group-roles', unassigned, null],
    [
      'a group carrying a role, in groups-as-roles mode',
      'groups-as-roles',
      sales,
      { id: 'g1', name: 'Sales' },
    ],
    [
      'a group carrying none, in groups-as-roles mode',
      'groups-as-roles',
      unassigned,
      { id: 'g2', name: 'Ops' },
    ],
  ] as const)('Should read %s', ([, mode, group, expected], { expect }) => {
    expect(roleGivenBy(mode, group)).toEqual(expected)
  })
})
