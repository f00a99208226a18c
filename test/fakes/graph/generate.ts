/**
 * @module Deterministic generator of large fake directories (benchmarks, paging and scale tests):
 * a groups parent with child security groups nested `nestingDepth` levels deep, some dynamic
 * groups and one Microsoft 365 group, a Do Not Track parent and a Delete parent with a few users
 * each (the three-parent model of the Entra integration). Same options + seed = same fixture.
 */
import type { FakeUser, Fixture, OpaqueObject } from './directory.ts'

/** Display names of the three parent groups. */
export interface ParentNames {
  groups: string
  doNotTrack: string
  delete: string
}

export const DEFAULT_PARENT_NAMES: ParentNames = {
  groups: 'ActivTrak Groups',
  doNotTrack: 'ActivTrak Do Not Track',
  delete: 'ActivTrak Delete',
}

export interface GenerateOptions {
  users: number
  /** Child groups below the groups parent, all nesting levels, the Microsoft 365 one included. */
  groups: number
  /** Levels of sub-groups below the direct children (0 = no nesting); default 2. */
  nestingDepth?: number
  seed?: number
  guestRatio?: number
  noMailRatio?: number
  noEmployeeIdRatio?: number
  dynamicRatio?: number
  domain?: string
  clientId?: string
  clientSecret?: string
  parentNames?: Partial<ParentNames>
}

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rng = () => number

function guid(rng: Rng): string {
  const word = (): string =>
    Math.floor(rng() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')
  const hex = `${word()}${word()}${word()}${word()}`
  // RFC 9562 §5.4: version 4 nibble, variant bits 10.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)
  const clockSeq = `${variant}${hex.slice(17, 20)}`
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${clockSeq}-${hex.slice(20)}`
}

const GIVEN = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas']
const FAMILY = ['Nguyen', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Weber']

const pickOf = <T>(rng: Rng, items: readonly T[], fallback: T): T =>
  items[Math.floor(rng() * items.length)] ?? fallback

interface Ratios {
  guest: number
  noMail: number
  noEmployeeId: number
}

function makeUser(i: number, rng: Rng, domain: string, ratios: Ratios): FakeUser {
  const givenName = pickOf(rng, GIVEN, 'Ada')
  const surname = pickOf(rng, FAMILY, 'Nguyen')
  const alias = `${givenName}.${surname}.${String(i)}`.toLowerCase()
  const tenantDomain = `${domain.split('.')[0] ?? 'contoso'}.onmicrosoft.com`
  const guest = rng() < ratios.guest
  const memberMail = rng() < ratios.noMail ? null : `${alias}@${domain}`
  const mail = guest ? `${alias}@partner.example` : memberMail
  return {
    id: guid(rng),
    // Guests' UPNs carry #EXT# (docs/graph-sync.md §5).
    userPrincipalName: guest
      ? `${alias}_partner.example#EXT#@${tenantDomain}`
      : `${alias}@${domain}`,
    mail,
    employeeId: guest || rng() < ratios.noEmployeeId ? null : `E${String(i).padStart(7, '0')}`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    accountEnabled: rng() >= 0.02,
    otherMails: rng() < 0.05 ? [`${alias}@personal.example`] : [],
    proxyAddresses: mail === null ? [] : [`SMTP:${mail}`, `smtp:${alias}@${tenantDomain}`],
    userType: guest ? 'Guest' : 'Member',
  }
}

/** A group as the fixture holds it: members are ids or inline opaque objects. */
type FixtureGroup = Fixture['groups'][number]

function group(rng: Rng, displayName: string, extra: Partial<FixtureGroup> = {}): FixtureGroup {
  return {
    id: guid(rng),
    displayName,
    groupTypes: [],
    securityEnabled: true,
    mailEnabled: false,
    membershipRule: null,
    members: [],
    ...extra,
  }
}

const microsoft365 = (): Partial<FixtureGroup> => ({
  groupTypes: ['Unified'],
  securityEnabled: false,
  mailEnabled: true,
})

function dynamicGroup(rng: Rng, n: number): FixtureGroup {
  return group(rng, `Dynamic ${String(n)}`, {
    groupTypes: ['DynamicMembership'],
    membershipRule: `(user.department -eq "Department ${String(n)}")`,
  })
}

/**
 * Child groups of the groups parent, by level: level 0 holds the Microsoft 365 group, the dynamic
 * groups and the first static groups; each deeper level holds static sub-groups only.
 */
function childLevels(
  rng: Rng,
  count: number,
  depth: number,
  dynamicRatio: number
): FixtureGroup[][] {
  const m365 = count > 0 ? [group(rng, 'All Company (Microsoft 365)', microsoft365())] : []
  const rest = count - m365.length
  const dynamicCount = Math.min(rest, Math.max(rest >= 3 ? 1 : 0, Math.round(rest * dynamicRatio)))
  const dynamic = Array.from({ length: dynamicCount }, (_, i) => dynamicGroup(rng, i + 1))
  const staticCount = rest - dynamicCount
  const perLevel = Math.max(1, Math.ceil(staticCount / (depth + 1)))
  const levels: FixtureGroup[][] = []
  for (let made = 0; made < staticCount; made += perLevel) {
    const size = Math.min(perLevel, staticCount - made)
    const level = String(levels.length)
    const name = (i: number): string => `Team L${level}-${String(i + 1)}`
    levels.push(Array.from({ length: size }, (_, i) => group(rng, name(i))))
  }
  return [[...m365, ...dynamic, ...(levels[0] ?? [])], ...levels.slice(1)]
}

/** Level 0 goes under the parent; every deeper group under a random static group one level up. */
function nest(rng: Rng, parent: FixtureGroup, levels: readonly FixtureGroup[][]): void {
  for (const child of levels[0] ?? []) parent.members.push(child.id)
  for (let l = 1; l < levels.length; l++) {
    const above = (levels[l - 1] ?? []).filter((g) => g.groupTypes.length === 0)
    for (const child of levels[l] ?? []) pickOf(rng, above, parent).members.push(child.id)
  }
}

function addOnce(g: FixtureGroup | undefined, userId: string): void {
  if (g !== undefined && !g.members.includes(userId)) g.members.push(userId)
}

function assignUsers(rng: Rng, users: readonly FakeUser[], groups: readonly FixtureGroup[]): void {
  const targets = groups.filter((g) => !g.groupTypes.includes('Unified'))
  if (targets.length === 0) return
  for (const user of users) {
    if (rng() < 0.05) continue
    // Squaring skews towards the first groups, so some hold more than 999 users (several pages).
    addOnce(targets[Math.floor(rng() ** 2 * targets.length)], user.id)
    if (rng() < 0.1) addOnce(pickOf(rng, targets, undefined), user.id)
  }
  const m365 = groups.find((g) => g.groupTypes.includes('Unified'))
  users.slice(0, 5).forEach((u) => addOnce(m365, u.id))
  targets.forEach((g, i) => {
    if (i % 50 !== 7) return
    const device: OpaqueObject = {
      '@odata.type': '#microsoft.graph.device',
      id: guid(rng),
      displayName: `DEVICE-${String(i)}`,
    }
    g.members.push(device)
  })
}

/** A parent holding one child group with the given users (Do Not Track, Delete). */
function parentWithChild(
  rng: Rng,
  parentName: string,
  childName: string,
  users: readonly FakeUser[]
): FixtureGroup[] {
  const child = group(rng, childName, { members: users.map((u) => u.id) })
  return [group(rng, parentName, { members: [child.id] }), child]
}

/** A whole directory as a fixture (load it with `fake.load(directoryId, fixture)`). */
export function generateDirectory(options: GenerateOptions): Fixture {
  const rng = mulberry32(options.seed ?? 1)
  const ratios: Ratios = {
    guest: options.guestRatio ?? 0.03,
    noMail: options.noMailRatio ?? 0.05,
    noEmployeeId: options.noEmployeeIdRatio ?? 0.2,
  }
  const domain = options.domain ?? 'contoso-gen.example'
  const users = Array.from({ length: options.users }, (_, i) => makeUser(i, rng, domain, ratios))
  const names = { ...DEFAULT_PARENT_NAMES, ...options.parentNames }
  const parent = group(rng, names.groups)
  const depth = options.nestingDepth ?? 2
  const levels = childLevels(rng, options.groups, depth, options.dynamicRatio ?? 0.05)
  nest(rng, parent, levels)
  // The last six users go to Do Not Track (3) and Delete (3); the others to the groups tree.
  const reserved = Math.min(6, users.length)
  const tracked = users.slice(0, users.length - reserved)
  const spare = users.slice(users.length - reserved)
  assignUsers(rng, tracked, levels.flat())
  return {
    description: `Generated: ${String(options.users)} users, ${String(options.groups)} child groups, depth ${String(depth)}, seed ${String(options.seed ?? 1)}`,
    clientId: options.clientId ?? '33333333-3333-4333-8333-333333333333',
    clientSecret: options.clientSecret ?? 'Generated~FakeGraphSecret.0001',
    permissions: ['Directory.Read.All', 'Group.Read.All', 'GroupMember.Read.All', 'User.Read.All'],
    users,
    groups: [
      parent,
      ...levels.flat(),
      ...parentWithChild(rng, names.doNotTrack, 'Do Not Track Staff', spare.slice(0, 3)),
      ...parentWithChild(rng, names.delete, 'Leavers', spare.slice(3)),
    ],
  }
}
