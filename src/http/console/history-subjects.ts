/**
 * @module What a history entry is about and who made it, named for people: its subject (a user,
 * a group and the member, an agent and its user, an instance, a key, a role…) with a link where
 * the console has a page for it, and its actor (the SCIM key and its instance, the directory
 * sync, an admin's email, the operator, the system). Pure: the names come in as maps, read for a
 * whole page of entries at once, so the page and the CSV export describe entries alike.
 */
import type { HistoryRow } from '../../storage/repos/history'
import { ACTOR_WORDS } from './history-words'

/** Names of what a page of entries points at; an id missing from a map is no longer there. */
export interface HistoryNames {
  users: ReadonlyMap<string, string>
  groups: ReadonlyMap<string, string>
  /** `DOMAIN\logonName` by agent id. */
  agents: ReadonlyMap<string, string>
  instances: ReadonlyMap<string, string>
  keys: ReadonlyMap<string, { name: string; instanceId: string | null }>
  roles: ReadonlyMap<string, string>
  /** Console admins' emails. */
  admins: ReadonlyMap<string, string>
}

/** One thing an entry is about: a kind ("User"), its name, and its console page if any. */
export interface SubjectPart {
  kind: string
  id: string
  label: string
  href?: string
}

type Row = Pick<
  HistoryRow,
  | 'resourceType'
  | 'resourceId'
  | 'userId'
  | 'actor'
  | 'actorId'
  | 'actorName'
  | 'instanceId'
  | 'keyId'
>

const page = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`

function userPart(names: HistoryNames, id: string): SubjectPart {
  const name = names.users.get(id)
  return name === undefined
    ? { kind: 'User', id, label: `User ${id} (no longer here)` }
    : { kind: 'User', id, label: name, href: page('/console/users', id) }
}

function namedPart(
  kind: string,
  id: string,
  name: string | undefined,
  href: string | undefined
): SubjectPart {
  if (name === undefined) return { kind, id, label: `${kind} ${id} (no longer here)` }
  return href === undefined ? { kind, id, label: name } : { kind, id, label: name, href }
}

function resourcePart(row: Row, names: HistoryNames): SubjectPart {
  const id = row.resourceId
  switch (row.resourceType) {
    case 'User':
      return userPart(names, id)
    case 'Group':
      return namedPart('Group', id, names.groups.get(id), page('/console/groups', id))
    case 'Agent':
      return namedPart('User agent', id, names.agents.get(id) ?? id, undefined)
    case 'Instance':
      return namedPart(
        'Integration',
        id,
        names.instances.get(id),
        page('/console/integrations', id)
      )
    case 'Key': {
      const key = names.keys.get(id)
      const instance = key?.instanceId ?? null
      const href =
        instance !== null && names.instances.has(instance)
          ? page('/console/integrations', instance)
          : undefined
      return namedPart('API key', id, key?.name, href)
    }
    case 'Role':
      return namedPart('Role', id, names.roles.get(id) ?? 'a deleted role', '/console/roles')
    case 'DntEntry':
      return { kind: 'Do Not Track entry', id, label: 'Do Not Track list', href: '/console/dnt' }
    case 'Deletion':
      return { kind: 'Deletion', id, label: 'Deletions', href: '/console/deletions' }
    case 'Admin':
      return namedPart('Admin', id, names.admins.get(id), '/console/admins')
    case 'Tenant':
      return { kind: 'Organization', id, label: 'Organization' }
    default:
      return { kind: row.resourceType, id, label: id }
  }
}

/** The entry's subject, then the user it concerns when that is another thing (a member). */
export function subjectOf(row: Row, names: HistoryNames): SubjectPart[] {
  const main = resourcePart(row, names)
  if (row.userId === null || (row.resourceType === 'User' && row.resourceId === row.userId))
    return [main]
  return [main, userPart(names, row.userId)]
}

/** Who made the change, in words: the actor kind, and which key, instance or admin. */
export function actorOf(row: Row, names: HistoryNames): { kind: string; detail: string } {
  const instance = row.instanceId === null ? undefined : names.instances.get(row.instanceId)
  const key = row.keyId === null ? undefined : names.keys.get(row.keyId)
  const keyText = row.keyId === null ? undefined : `key "${key?.name ?? row.keyId}"`
  const parts: (string | undefined)[] =
    row.actor === 'admin'
      ? [row.actorName ?? (row.actorId === null ? undefined : names.admins.get(row.actorId))]
      : [keyText, instance ?? (row.instanceId === null ? undefined : `instance ${row.instanceId}`)]
  return {
    kind: ACTOR_WORDS[row.actor],
    detail: parts.filter((p) => p !== undefined).join(' · '),
  }
}

/** Names for ids that changes record (users, groups, roles, `group:<id>` roles, agents). */
export function valueNames(names: HistoryNames): (id: string) => string | undefined {
  return (id) => {
    if (id.startsWith('group:')) return names.groups.get(id.slice('group:'.length))
    return (
      names.users.get(id) ??
      names.groups.get(id) ??
      names.roles.get(id) ??
      names.agents.get(id) ??
      names.instances.get(id)
    )
  }
}
