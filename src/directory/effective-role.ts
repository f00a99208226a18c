/**
 * @module A user's effective role (Apty): the role of the role-bearing group the user joined most
 * recently; a user in none gets the tenant's default role. In `groups-as-roles` mode (TrackTik)
 * every group is itself a role, so the most recently joined group is the role.
 */

export type RoleMode = 'group-roles' | 'groups-as-roles'

export interface MembershipFact {
  groupId: string
  /** ISO timestamp the user joined the group. */
  joinedAt: string
  /** The role the group carries (group-roles mode), if any. */
  roleId: string | null
}

export interface RoleAssignment {
  /** The role id; in groups-as-roles mode null when the role is a group. */
  roleId: string | null
  /** The group the role comes from; null when it is the default role. */
  viaGroupId: string | null
}

/** Joined later first; on equal times the larger group id (UUIDv7, created later) first. */
const latestFirst = (a: MembershipFact, b: MembershipFact): number =>
  a.joinedAt === b.joinedAt ? (a.groupId < b.groupId ? 1 : -1) : a.joinedAt < b.joinedAt ? 1 : -1

export function effectiveRole(
  memberships: readonly MembershipFact[],
  mode: RoleMode,
  defaultRoleId: string | null
): RoleAssignment {
  const bearing =
    mode === 'groups-as-roles' ? [...memberships] : memberships.filter((m) => m.roleId !== null)
  const latest = bearing.sort(latestFirst)[0]
  if (!latest) return { roleId: defaultRoleId, viaGroupId: null }
  return { roleId: mode === 'groups-as-roles' ? null : latest.roleId, viaGroupId: latest.groupId }
}

/** The tenant's role settings an assignment is read against. */
export interface RoleSettings {
  roleMode: RoleMode
  defaultRoleId: string | null
}

/**
 * Where a user's effective role comes from: the tenant's default role, the role a group
 * carries (group-roles), or a group that is itself the role (groups-as-roles). Null: no role.
 */
export type RoleSource =
  | { kind: 'default'; roleId: string }
  | { kind: 'group-role'; roleId: string; viaGroupId: string }
  | { kind: 'group'; groupId: string }

/** Reads a stored assignment (null/null means "the default role") against the settings. */
export function roleSource(a: RoleAssignment, settings: RoleSettings): RoleSource | null {
  if (a.viaGroupId === null) {
    return settings.defaultRoleId === null
      ? null
      : { kind: 'default', roleId: settings.defaultRoleId }
  }
  if (settings.roleMode === 'groups-as-roles') return { kind: 'group', groupId: a.viaGroupId }
  return a.roleId === null
    ? null
    : { kind: 'group-role', roleId: a.roleId, viaGroupId: a.viaGroupId }
}

/** Whether every group of the tenant is itself a role (and carries no other). */
export const groupsAreRoles = (mode: RoleMode): boolean => mode === 'groups-as-roles'

/** A role as a group shows it: its id and name (null for a role deleted since). */
export interface GroupRole {
  id: string
  name: string | null
}

/**
 * The role a group gives its members: in groups-as-roles mode the group itself, named by its
 * displayName; else the role it carries, if any.
 */
export const roleGivenBy = (
  mode: RoleMode,
  group: { id: string; displayName: string; role: GroupRole | null }
): GroupRole | null =>
  groupsAreRoles(mode) ? { id: group.id, name: group.displayName } : group.role
