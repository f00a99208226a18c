/**
 * @module Changes to a fake directory between sync runs (a user leaves a group, a group is
 * renamed, a secret is rotated …), as functions for in-process tests and as the command list
 * accepted by `PATCH /_fake/directories/{directoryId}`:
 * ```
 * { "commands": [
 *   { "op": "addMember", "groupId": "…", "member": "<user or group id>" },
 *   { "op": "addMember", "groupId": "…",
 *     "member": {"@odata.type": "#microsoft.graph.device", "id": "…"} },
 *   { "op": "removeMember", "groupId": "…", "memberId": "…" },
 *   { "op": "renameGroup", "groupId": "…", "displayName": "…" },
 *   { "op": "addUser", "user": { …fixture user… } },
 *   { "op": "updateUser", "userId": "…", "changes": { "mail": null, "accountEnabled": false } },
 *   { "op": "removeUser", "userId": "…" },                    // also leaves every group
 *   { "op": "addGroup", "group": { …fixture group… } },
 *   { "op": "removeGroup", "groupId": "…" },                  // also leaves every parent group
 *   { "op": "setPermissions", "permissions": ["GroupMember.Read.All"] },
 *   { "op": "setClientSecret", "clientSecret": "…" }
 * ] }
 * ```
 * Commands run in order and stop at the first refused one (earlier ones stay applied). Every
 * function throws an Error naming the offending id, and drops the transitive-membership cache.
 */
import { z } from 'zod'
import {
  groupSchema,
  linkMember,
  memberSchema,
  PERMISSIONS,
  userSchema,
  type Directory,
  type FakeGroup,
  type FakeUser,
  type GroupInput,
  type MemberInput,
  type Permission,
  type UserInput,
} from './directory.ts'

const text = z.string().nullable().optional()

/** Properties of a user that updateUser may change (id never changes in Entra). */
const userChangesSchema = z.strictObject({
  userPrincipalName: z.string().min(1).optional(),
  mail: text,
  employeeId: z.string().max(16).nullable().optional(),
  displayName: text,
  givenName: text,
  surname: text,
  accountEnabled: z.boolean().optional(),
  otherMails: z.array(z.string()).optional(),
  proxyAddresses: z.array(z.string()).optional(),
  userType: z.enum(['Member', 'Guest']).optional(),
})

export type UserChanges = z.input<typeof userChangesSchema>

function groupOf(dir: Directory, groupId: string): FakeGroup {
  const group = dir.groups.get(groupId)
  if (group === undefined) throw new Error(`No group with id ${groupId} in the fake directory`)
  return group
}

function userOf(dir: Directory, userId: string): FakeUser {
  const user = dir.users.get(userId)
  if (user === undefined) throw new Error(`No user with id ${userId} in the fake directory`)
  return user
}

function assertFreeId(dir: Directory, objectId: string): void {
  if (dir.users.has(objectId) || dir.groups.has(objectId) || dir.others.has(objectId)) {
    throw new Error(`Id ${objectId} is already used in the fake directory`)
  }
}

/** Adds a direct member (user/group id, or an opaque object such as a device). */
export function addMember(dir: Directory, groupId: string, member: MemberInput): void {
  const error = linkMember(dir, groupId, memberSchema.parse(member))
  if (error !== undefined) throw new Error(`Cannot add member to group ${groupId}: ${error}`)
}

function removeMember(dir: Directory, groupId: string, memberId: string): void {
  const group = groupOf(dir, groupId)
  const at = group.members.indexOf(memberId)
  if (at < 0) throw new Error(`${memberId} is not a direct member of group ${groupId}`)
  group.members.splice(at, 1)
  dir.transitiveCache.clear()
}

function renameGroup(dir: Directory, groupId: string, displayName: string): void {
  if (displayName === '') throw new Error('A group displayName cannot be empty')
  groupOf(dir, groupId).displayName = displayName
}

function addUser(dir: Directory, input: UserInput): FakeUser {
  const user = userSchema.parse(input)
  assertFreeId(dir, user.id)
  dir.users.set(user.id, user)
  return user
}

export function updateUser(dir: Directory, userId: string, changes: UserChanges): FakeUser {
  const user = userOf(dir, userId)
  const parsed = userChangesSchema.parse(changes)
  const updated: FakeUser = { ...user }
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined) Object.assign(updated, { [key]: value })
  }
  dir.users.set(userId, updated)
  return updated
}

/** Removes a user; like a deletion in Entra it also disappears from every group. */
function removeUser(dir: Directory, userId: string): void {
  userOf(dir, userId)
  dir.users.delete(userId)
  dropFromGroups(dir, userId)
}

/** Adds a group; its members (if any) are checked like fixture members. */
export function addGroup(dir: Directory, input: GroupInput): FakeGroup {
  const parsed = groupSchema.parse(input)
  assertFreeId(dir, parsed.id)
  const group: FakeGroup = { ...parsed, members: [] }
  dir.groups.set(group.id, group)
  for (const member of parsed.members) {
    const error = linkMember(dir, group.id, member)
    if (error !== undefined) {
      dir.groups.delete(group.id)
      throw new Error(`Cannot add group ${group.id}: ${error}`)
    }
  }
  return group
}

/** Removes a group and its memberships at once (deleted groups: docs/graph-sync.md §10). */
export function removeGroup(dir: Directory, groupId: string): void {
  groupOf(dir, groupId)
  dir.groups.delete(groupId)
  dropFromGroups(dir, groupId)
}

export function setPermissions(dir: Directory, permissions: readonly Permission[]): void {
  dir.permissions = new Set(permissions)
}

/** Rotates the client secret: tokens already issued stay valid until they expire, as in Entra. */
function setClientSecret(dir: Directory, clientSecret: string): void {
  if (clientSecret === '') throw new Error('A client secret cannot be empty')
  dir.clientSecret = clientSecret
}

function dropFromGroups(dir: Directory, objectId: string): void {
  for (const group of dir.groups.values()) {
    const at = group.members.indexOf(objectId)
    if (at >= 0) group.members.splice(at, 1)
  }
  dir.transitiveCache.clear()
}

const groupId = z.string().min(1)

const commandSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('addMember'), groupId, member: memberSchema }),
  z.strictObject({ op: z.literal('removeMember'), groupId, memberId: z.string().min(1) }),
  z.strictObject({ op: z.literal('renameGroup'), groupId, displayName: z.string().min(1) }),
  z.strictObject({ op: z.literal('addUser'), user: userSchema }),
  z.strictObject({
    op: z.literal('updateUser'),
    userId: z.string().min(1),
    changes: userChangesSchema,
  }),
  z.strictObject({ op: z.literal('removeUser'), userId: z.string().min(1) }),
  z.strictObject({ op: z.literal('addGroup'), group: groupSchema }),
  z.strictObject({ op: z.literal('removeGroup'), groupId }),
  z.strictObject({ op: z.literal('setPermissions'), permissions: z.array(z.enum(PERMISSIONS)) }),
  z.strictObject({ op: z.literal('setClientSecret'), clientSecret: z.string().min(1) }),
])

export const commandsBodySchema = z.strictObject({ commands: z.array(commandSchema) })

export type Command = z.input<typeof commandSchema>

function applyOne(dir: Directory, command: z.output<typeof commandSchema>): void {
  switch (command.op) {
    case 'addMember':
      return addMember(dir, command.groupId, command.member)
    case 'removeMember':
      return removeMember(dir, command.groupId, command.memberId)
    case 'renameGroup':
      return renameGroup(dir, command.groupId, command.displayName)
    case 'addUser':
      return void addUser(dir, command.user)
    case 'updateUser':
      return void updateUser(dir, command.userId, command.changes)
    case 'removeUser':
      return removeUser(dir, command.userId)
    case 'addGroup':
      return void addGroup(dir, command.group)
    case 'removeGroup':
      return removeGroup(dir, command.groupId)
    case 'setPermissions':
      return setPermissions(dir, command.permissions)
    case 'setClientSecret':
      return setClientSecret(dir, command.clientSecret)
  }
}

/** Runs validated commands in order; the error names the index and op of the refused one. */
export function applyCommands(dir: Directory, commands: readonly Command[]): number {
  commands.forEach((input, i) => {
    const command = commandSchema.parse(input)
    try {
      applyOne(dir, command)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`commands[${String(i)}] (${command.op}): ${reason}`, { cause: error })
    }
  })
  return commands.length
}
