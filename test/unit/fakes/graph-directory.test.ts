/**
 * The fake directory: fixture validation with clear errors, the membership rules of
 * docs/graph-sync.md §6, cycle-safe transitive members, mutations, and the large-directory
 * generator (deterministic, 50,000 users in a few seconds, pageable through the fake).
 */
import { describe, it } from 'vitest'
import { createFakeGraph } from '../../fakes/graph/app.ts'
import {
  loadDirectory,
  transitiveMemberIds,
  type MemberInput,
} from '../../fakes/graph/directory.ts'
import { DEFAULT_PARENT_NAMES, generateDirectory, mulberry32 } from '../../fakes/graph/generate.ts'
import { addGroup, addMember, removeGroup, updateUser } from '../../fakes/graph/mutations.ts'
import { allPages, CONTOSO_CLIENT_ID, CONTOSO_SECRET, EVENTUAL, tokenOf } from './graph-helpers.ts'

const base = { clientId: 'c', clientSecret: 's' }
const user = (id: string) => ({ id, userPrincipalName: `${id}@x.test` })
const group = (id: string, members: MemberInput[] = [], extra = {}) => ({
  id,
  displayName: id.toUpperCase(),
  members,
  ...extra,
})
const device = { '@odata.type': '#microsoft.graph.device', id: 'pc' }
const UNIFIED = { groupTypes: ['Unified'] }
const DYNAMIC = { groupTypes: ['DynamicMembership'], membershipRule: 'x' }

describe('loadDirectory', () => {
  it.for([
    ['a missing secret', { clientId: 'c' }, 'Invalid Graph fixture: clientSecret:'],
    ['a wrong type', { ...base, users: [{ ...user('u'), mail: 5 }] }, 'users.0.mail:'],
    ['an unknown key', { ...base, users: [{ ...user('u'), manager: 'm' }] }, 'users.0:'],
    [
      'a long employeeId',
      { ...base, users: [{ ...user('u'), employeeId: '12345678901234567' }] },
      'users.0.employeeId:',
    ],
    ['a bad permission', { ...base, permissions: ['Group.ReadWrite.All'] }, 'permissions.0:'],
    [
      'a duplicate id',
      { ...base, users: [user('u')], groups: [group('u')] },
      'groups[0]: duplicate id u',
    ],
    [
      'an unknown member',
      { ...base, groups: [group('g', ['nobody'])] },
      'groups[0] ("G").members[0]: unknown id nobody',
    ],
    [
      'a self member',
      { ...base, groups: [group('g', ['g'])] },
      'a group cannot be a member of itself',
    ],
    [
      'a repeated member',
      { ...base, users: [user('u')], groups: [group('g', ['u', 'u'])] },
      'u is already a member',
    ],
    [
      'a group in a Microsoft 365 group',
      { ...base, groups: [group('a'), group('m', ['a'], UNIFIED)] },
      'Microsoft 365 groups can contain only users',
    ],
    [
      'a group in a dynamic group',
      { ...base, groups: [group('a'), group('d', ['a'], DYNAMIC)] },
      'dynamic groups contain only users or devices',
    ],
    [
      'a user listed as an opaque object',
      { ...base, groups: [group('g', [{ '@odata.type': '#microsoft.graph.user', id: 'x' }])] },
      'users and groups are listed by id',
    ],
  ] as const)('Should reject %s with a message naming it', ([, fixture, message], { expect }) => {
    expect(() => loadDirectory(fixture)).toThrow(message)
  })

  it('Should accept devices in dynamic groups, Microsoft 365 groups as members', ({ expect }) => {
    const dir = loadDirectory({
      ...base,
      users: [user('u')],
      groups: [
        group('p', ['m', 'd']),
        group('m', ['u'], UNIFIED),
        group('d', ['u', device], DYNAMIC),
      ],
    })
    expect(transitiveMemberIds(dir, 'p')).toEqual(['m', 'd', 'u', 'pc'])
    expect(dir.permissions.size).toBe(7)
  })

  it('Should stop at cycles, including long ones', ({ expect }) => {
    const name = (i: number): string => `g${String(i % 50)}`
    const ring = Array.from({ length: 50 }, (_, i) => group(name(i), [name(i + 1)]))
    const dir = loadDirectory({ ...base, groups: ring })
    expect(transitiveMemberIds(dir, 'g0')).toHaveLength(49)
    expect(transitiveMemberIds(dir, 'g0')).not.toContain('g0')
  })
})

describe('mutations', () => {
  it('Should keep transitive members up to date and enforce the rules', ({ expect }) => {
    const users = [user('u'), user('v')]
    const dir = loadDirectory({ ...base, users, groups: [group('p', ['u'])] })
    expect(transitiveMemberIds(dir, 'p')).toEqual(['u'])
    addGroup(dir, group('c', ['v']))
    addMember(dir, 'p', 'c')
    expect(transitiveMemberIds(dir, 'p')).toEqual(['u', 'c', 'v'])
    removeGroup(dir, 'c')
    expect(transitiveMemberIds(dir, 'p')).toEqual(['u'])
    expect(() => addMember(dir, 'p', 'u')).toThrow(
      'Cannot add member to group p: u is already a member'
    )
    expect(() => addGroup(dir, group('u'))).toThrow('Id u is already used')
    expect(updateUser(dir, 'v', { mail: 'v@x.test', accountEnabled: false })).toMatchObject({
      mail: 'v@x.test',
      accountEnabled: false,
      userPrincipalName: 'v@x.test',
    })
    expect(() => updateUser(dir, 'nobody', {})).toThrow('No user with id nobody')
  })
})

describe('generateDirectory', () => {
  it('Should be deterministic for a seed and differ across seeds', ({ expect }) => {
    const options = { users: 300, groups: 40, nestingDepth: 3, seed: 42 }
    expect(generateDirectory(options)).toEqual(generateDirectory(options))
    const other = generateDirectory({ ...options, seed: 43 })
    expect(other.users[0]?.id).not.toBe(generateDirectory(options).users[0]?.id)
    const rng = mulberry32(1)
    expect([rng(), rng()]).toEqual([0.6270739405881613, 0.002735721180215478])
  })

  // A big fixture: its size, not its speed, is under test (the bench measures speed).
  it(
    'Should build 50,000 users and serve them in 999-item pages',
    { timeout: 120_000 },
    async ({ expect }) => {
      const fixture = generateDirectory({
        users: 50_000,
        groups: 2000,
        nestingDepth: 2,
        seed: 7,
        clientId: CONTOSO_CLIENT_ID,
        clientSecret: CONTOSO_SECRET,
      })
      const fake = createFakeGraph()
      const dir = fake.load('big', fixture)
      expect(dir.users.size).toBe(50_000)
      expect(dir.groups.size).toBe(2000 + 5)
      const byName = (name: string) =>
        [...dir.groups.values()].filter((g) => g.displayName === name)
      expect(byName(DEFAULT_PARENT_NAMES.doNotTrack)).toHaveLength(1)
      expect(byName(DEFAULT_PARENT_NAMES.delete)).toHaveLength(1)
      const kinds = [...dir.groups.values()].map((g) => g.groupTypes.join(','))
      expect(kinds.filter((k) => k === 'Unified')).toHaveLength(1)
      expect(kinds.filter((k) => k === 'DynamicMembership').length).toBeGreaterThan(50)
      const users = [...dir.users.values()]
      expect(users.filter((u) => u.userType === 'Guest').length).toBeGreaterThan(1000)
      expect(users.some((u) => u.mail === null && u.userType === 'Member')).toBe(true)
      expect(users.some((u) => u.employeeId === null && u.userType === 'Member')).toBe(true)
      expect(dir.others.size).toBeGreaterThan(0)
      const parent = byName(DEFAULT_PARENT_NAMES.groups)[0]?.id ?? ''
      const path = `/v1.0/groups/${parent}/transitiveMembers/microsoft.graph.user?$select=id&$top=999&$count=true`
      const pages = await allPages(fake, await tokenOf(fake, 'big'), path, EVENTUAL)
      const count = pages[0]?.['@odata.count'] ?? 0
      expect(count).toBeGreaterThan(45_000)
      expect(pages).toHaveLength(Math.ceil(count / 999))
    }
  )
})
