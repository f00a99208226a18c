/**
 * @module In-memory Entra directory behind the fake Microsoft Graph: users, groups and opaque
 * member objects (devices, contacts, service principals), the JSON fixture format that describes
 * one directory, its validating loader and the transitive-membership walk.
 *
 * Fixture format (JSON; unknown keys are rejected so typos fail loudly):
 * ```
 * {
 *   "description": "free text (optional)",
 *   "directoryId": "tenant GUID (optional; used by server.ts when --directory is not given)",
 *   "clientId": "application (client) id accepted by the token endpoint",
 *   "clientSecret": "the only secret accepted for that client id",
 *   "permissions": ["GroupMember.Read.All", "User.Read.All"],   // optional, default: PERMISSIONS
 *   "users": [{
 *     "id": "…", "userPrincipalName": "ann@contoso.com",          // required
 *     "mail": null, "employeeId": null, "displayName": null,        // optional, default null
 *     "givenName": null, "surname": null,
 *     "accountEnabled": true, "otherMails": [], "proxyAddresses": [],
 *     "userType": "Member" | "Guest"
 *   }],
 *   "groups": [{
 *     "id": "…", "displayName": "Sales",                           // required
 *     "groupTypes": [],       // [] security, ["Unified"] Microsoft 365, ["DynamicMembership"]
 *     "securityEnabled": true, "mailEnabled": false, "membershipRule": null,
 *     "members": [
 *       "<user or group id>",
 *       {"@odata.type": "#microsoft.graph.device", "id": "…", "displayName": "PC-1"}
 *     ]
 *   }]
 * }
 * ```
 * Membership rules enforced (docs/graph-sync.md §6): ids must exist and be unique across the
 * fixture, a group cannot list itself or a member twice, Microsoft 365 groups hold users only and
 * dynamic groups hold users or devices only (never groups). Deviation from Entra, on purpose: a
 * Microsoft 365 group MAY be a member of a security group here, so the sync's "unsupported group"
 * path can be exercised. Cycles between security groups are allowed (Entra's behaviour is
 * undocumented, docs/graph-sync.md §4).
 */
import { z } from 'zod'

/** Application permissions the fake understands (docs/graph-sync.md §2). */
export const PERMISSIONS = [
  'Directory.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'User.Read.All',
  'User.ReadBasic.All',
  'Device.Read.All',
  'Application.Read.All',
] as const

export type Permission = (typeof PERMISSIONS)[number]

const id = z.string().min(1)
const nullableText = z.string().nullable().default(null)

/** One user of a fixture; optional properties default as Graph reports unset values (null/[]). */
export const userSchema = z.strictObject({
  id,
  userPrincipalName: z.string().min(1),
  mail: nullableText,
  // Entra limits employeeId to 16 characters (docs/graph-sync.md §5).
  employeeId: z.string().max(16).nullable().default(null),
  displayName: nullableText,
  givenName: nullableText,
  surname: nullableText,
  accountEnabled: z.boolean().default(true),
  otherMails: z.array(z.string()).default([]),
  proxyAddresses: z.array(z.string()).default([]),
  userType: z.enum(['Member', 'Guest']).default('Member'),
})

const USER_TYPE = '#microsoft.graph.user'
const GROUP_TYPE = '#microsoft.graph.group'

/** A member that is neither a user nor a group: only its type and id are ever visible. */
const opaqueMemberSchema = z.strictObject({
  '@odata.type': z
    .string()
    .regex(/^#microsoft\.graph\.[A-Za-z]+$/, 'must look like "#microsoft.graph.device"')
    .refine((t) => t !== USER_TYPE && t !== GROUP_TYPE, 'users and groups are listed by id'),
  id,
  displayName: z.string().optional(),
})

/** A group member: the id of a user or group of the fixture, or an opaque object inline. */
export const memberSchema = z.union([id, opaqueMemberSchema])

export const groupSchema = z.strictObject({
  id,
  displayName: z.string().min(1),
  groupTypes: z.array(z.string()).default([]),
  securityEnabled: z.boolean().default(true),
  mailEnabled: z.boolean().default(false),
  membershipRule: nullableText,
  members: z.array(memberSchema).default([]),
})

export const fixtureSchema = z.strictObject({
  description: z.string().optional(),
  directoryId: z.string().min(1).optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  permissions: z.array(z.enum(PERMISSIONS)).default([...PERMISSIONS]),
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
})

/** A fixture with every default filled in (what {@link toFixture} and the generator return). */
export type Fixture = z.output<typeof fixtureSchema>
export type UserInput = z.input<typeof userSchema>
export type GroupInput = z.input<typeof groupSchema>
export type MemberInput = z.input<typeof memberSchema>
export type FakeUser = z.output<typeof userSchema>
export type OpaqueObject = z.output<typeof opaqueMemberSchema>
/** A group; `members` holds ids of users, groups and opaque objects, in insertion order. */
export type FakeGroup = Omit<z.output<typeof groupSchema>, 'members'> & { members: string[] }

/** The live directory. Change it through the functions of mutations.ts so caches stay right. */
export interface Directory {
  clientId: string
  clientSecret: string
  description: string | undefined
  permissions: Set<Permission>
  users: Map<string, FakeUser>
  groups: Map<string, FakeGroup>
  others: Map<string, OpaqueObject>
  /** Transitive member ids per group id, dropped on every mutation. */
  transitiveCache: Map<string, readonly string[]>
}

/** "users[3].mail: Invalid input" lines of a zod error, for messages an engineer can act on. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

/** Validates fixture JSON (shape and references) and builds the live directory from it. */
export function loadDirectory(input: unknown): Directory {
  const parsed = fixtureSchema.safeParse(input)
  if (!parsed.success) throw new Error(`Invalid Graph fixture: ${formatIssues(parsed.error)}`)
  const fixture = parsed.data
  const dir: Directory = {
    clientId: fixture.clientId,
    clientSecret: fixture.clientSecret,
    description: fixture.description,
    permissions: new Set(fixture.permissions),
    users: new Map(),
    groups: new Map(),
    others: new Map(),
    transitiveCache: new Map(),
  }
  fixture.users.forEach((user, i) => {
    if (dir.users.has(user.id)) {
      throw new Error(`Invalid Graph fixture: users[${String(i)}]: duplicate id ${user.id}`)
    }
    dir.users.set(user.id, user)
  })
  fixture.groups.forEach((group, i) => {
    if (dir.users.has(group.id) || dir.groups.has(group.id)) {
      throw new Error(`Invalid Graph fixture: groups[${String(i)}]: duplicate id ${group.id}`)
    }
    dir.groups.set(group.id, { ...group, members: [] })
  })
  fixture.groups.forEach((group, i) => {
    group.members.forEach((member, m) => {
      const where = `groups[${String(i)}] ("${group.displayName}").members[${String(m)}]`
      const error = linkMember(dir, group.id, member)
      if (error !== undefined) throw new Error(`Invalid Graph fixture: ${where}: ${error}`)
    })
  })
  return dir
}

export const isDynamic = (group: FakeGroup): boolean =>
  group.groupTypes.includes('DynamicMembership')
const isUnified = (group: FakeGroup): boolean => group.groupTypes.includes('Unified')

/** The `@odata.type` of any object of the directory, or undefined for an unknown id. */
export function odataTypeOf(dir: Directory, objectId: string): string | undefined {
  if (dir.users.has(objectId)) return USER_TYPE
  if (dir.groups.has(objectId)) return GROUP_TYPE
  return dir.others.get(objectId)?.['@odata.type']
}

/**
 * Adds one member to a group after checking the membership rules of docs/graph-sync.md §6;
 * returns why it is refused, or undefined when added. Shared by the loader and the addMember
 * mutation.
 */
export function linkMember(
  dir: Directory,
  groupId: string,
  member: MemberInput
): string | undefined {
  const group = dir.groups.get(groupId)
  if (group === undefined) return `no group with id ${groupId}`
  const opaque = typeof member === 'string' ? undefined : member
  const memberId = typeof member === 'string' ? member : member.id
  const refused = refusal(dir, group, memberId, opaque)
  if (refused !== undefined) return refused
  if (opaque !== undefined) dir.others.set(memberId, opaque)
  group.members.push(memberId)
  dir.transitiveCache.clear()
  return undefined
}

function refusal(
  dir: Directory,
  group: FakeGroup,
  memberId: string,
  opaque: OpaqueObject | undefined
): string | undefined {
  if (memberId === group.id) return 'a group cannot be a member of itself'
  if (group.members.includes(memberId)) return `${memberId} is already a member`
  const known = odataTypeOf(dir, memberId)
  if (opaque !== undefined && known !== undefined && known !== opaque['@odata.type']) {
    return `id ${memberId} is already used by a ${known} object`
  }
  const type = opaque?.['@odata.type'] ?? known
  if (type === undefined) return `unknown id ${memberId} (no user or group with that id)`
  if (isUnified(group) && type !== USER_TYPE) {
    return 'Microsoft 365 groups can contain only users (docs/graph-sync.md §6)'
  }
  if (isDynamic(group) && type === GROUP_TYPE) {
    return 'dynamic groups contain only users or devices, never groups (docs/graph-sync.md §6)'
  }
  return undefined
}

/**
 * Every member reachable from a group, nested groups included, each once, breadth-first
 * (direct members first). A visited set stops cycles; the group itself is never reported.
 */
export function transitiveMemberIds(dir: Directory, groupId: string): readonly string[] {
  const cached = dir.transitiveCache.get(groupId)
  if (cached !== undefined) return cached
  const seen = new Set<string>([groupId])
  const out: string[] = []
  const queue = [groupId]
  for (let i = 0; i < queue.length; i++) {
    for (const memberId of dir.groups.get(queue[i] ?? '')?.members ?? []) {
      if (seen.has(memberId)) continue
      seen.add(memberId)
      out.push(memberId)
      if (dir.groups.has(memberId)) queue.push(memberId)
    }
  }
  dir.transitiveCache.set(groupId, out)
  return out
}

/** The directory as a fixture again (what the control API's GET returns). */
export function toFixture(dir: Directory): Fixture {
  const member = (memberId: string): string | OpaqueObject => dir.others.get(memberId) ?? memberId
  return {
    ...(dir.description === undefined ? {} : { description: dir.description }),
    clientId: dir.clientId,
    clientSecret: dir.clientSecret,
    permissions: [...dir.permissions],
    users: [...dir.users.values()],
    groups: [...dir.groups.values()].map((g) => ({ ...g, members: g.members.map(member) })),
  }
}
