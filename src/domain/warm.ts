/**
 * @module What a SCIM resource write will need from the state the tenant's object remembers,
 * known before it runs, so that the object can load everything a group of queued writes is
 * missing in one D1 round trip (after a restart, or for resources it has not seen yet) instead
 * of one read per write, each of which would close the group before it.
 */
import { JSON_LIST_MAX } from '../storage/chunk'
import { readWriteState, type LinkContextQuery } from '../storage/repos/write-state'
import type { IdentifierSets } from '../storage/repos/agents'
import { userIdentifiers } from '../directory/identifiers'
import { normalizeResource } from '../scim/schemas/normalize'
import { USER_RESOURCE_TYPE } from '../scim/schemas'
import { userIdentifierSets } from './agents'
import { LinkSnapshot } from './link-snapshot'
import { RoleSnapshot } from './role-snapshot'
import { parsePatchRequest, planGroupPatch } from '../scim/patch'
import { ALL_USER_IDS_MAX, GROUP_MEMBERS_MAX, type KnownState } from './known-state'
import type { WriteContext } from './write-context'

/**
 * The users and groups one write reads, the ids it will check are users, and for a user create
 * the identifiers its agent links depend on.
 */
export interface WriteNeeds {
  users: readonly string[]
  groups: readonly string[]
  members: readonly string[]
  identifiers?: IdentifierSets
  /** For a group write whose member changes grant or take roles: the members it names. */
  roleUsers?: readonly string[]
}

const NOTHING: WriteNeeds = { users: [], groups: [], members: [] }

/** A user write by id (PUT, PATCH) reads that user. */
export const userWriteNeeds = (id: string): WriteNeeds => ({ ...NOTHING, users: [id] })

/** A new user reads nothing. */
export const noNeeds = (): WriteNeeds => NOTHING

/**
 * A new user reads nothing but, in a tenant with agents, what its links depend on. A body that
 * does not normalize needs nothing: the write fails on it by itself.
 */
export function userCreateNeeds(body: unknown): WriteNeeds {
  try {
    const doc = normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'create' })
    return { ...NOTHING, identifiers: userIdentifierSets([userIdentifiers(doc)]) }
  } catch {
    return NOTHING
  }
}

/**
 * Characters of identifiers one warm-up asks about: its three statements each bind them once,
 * far below D1's 100 KB per statement. The creates beyond it read their own.
 */
const LINK_IDENTIFIER_CHARS = 20_000
/** Rows per list of the link context; a larger answer is not kept (each create reads its own). */
const LINK_ROWS_MAX = 2_000

/** The identifiers of the creates among `needs`, each create's all or none, within the bound. */
function linkQuery(needs: readonly WriteNeeds[]): LinkContextQuery | undefined {
  const sets = {
    upns: new Set<string>(),
    emails: new Set<string>(),
    employeeIds: new Set<string>(),
  }
  let chars = 0
  for (const { identifiers } of needs) {
    if (!identifiers) continue
    const values = [...identifiers.upns, ...identifiers.emails, ...identifiers.employeeIds]
    const size = values.reduce((n, v) => n + v.length + 3, 0)
    // One create with very many identifiers is left to read its own; the others still fit.
    if (chars + size > LINK_IDENTIFIER_CHARS) continue
    chars += size
    for (const v of identifiers.upns) sets.upns.add(v)
    for (const v of identifiers.emails) sets.emails.add(v)
    for (const v of identifiers.employeeIds) sets.employeeIds.add(v)
  }
  if (chars === 0) return undefined
  return {
    sets: { upns: [...sets.upns], emails: [...sets.emails], employeeIds: [...sets.employeeIds] },
    limit: LINK_ROWS_MAX,
  }
}

/**
 * A group write reads its group and checks the members it adds. A body that does not parse
 * needs nothing: the write fails on it by itself.
 */
export function groupWriteNeeds(id: string | undefined, body: unknown, patch: boolean): WriteNeeds {
  const groups = id === undefined ? [] : [id]
  try {
    const members = patch
      ? planGroupPatch(parsePatchRequest(body)).members.flatMap((c) => ('ids' in c ? c.ids : []))
      : memberValues(body)
    return { users: [], groups, members }
  } catch {
    return { ...NOTHING, groups }
  }
}

/** The `value` of each entry of a group body's `members`, if it has any. */
function memberValues(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('members' in body)) return []
  const { members } = body
  if (!Array.isArray(members)) return []
  return members.flatMap((m: unknown) =>
    typeof m === 'object' && m !== null && 'value' in m && typeof m.value === 'string'
      ? [m.value]
      : []
  )
}

const unique = (ids: readonly string[]) => [...new Set(ids)].slice(0, JSON_LIST_MAX)

/**
 * Whether the object remembers all a write needs, so it can be prepared reading nothing (behind
 * a batch in flight): its users, its groups with their members, the ids it checks are users,
 * and what its agent links and its members' roles depend on (the snapshots read it).
 */
export function isWarm(known: KnownState, needs: WriteNeeds): boolean {
  return (
    needs.users.every((id) => known.user(id) !== undefined) &&
    needs.groups.every((id) => typeof known.group(id)?.members === 'object') &&
    (known.knowsAllUserIds || known.unknownUsers(needs.members).length === 0) &&
    (needs.identifiers === undefined || known.links?.covers(needs.identifiers) === true) &&
    (needs.roleUsers === undefined || known.roles?.covers(needs.roleUsers) === true)
  )
}

/** Loads, in one round trip, what the writes need and the object does not remember yet. */
export async function warm(ctx: WriteContext, needs: readonly WriteNeeds[]): Promise<void> {
  const { known } = ctx
  const groups = unique(needs.flatMap((n) => n.groups)).filter((id) => !known.group(id))
  const users = unique(needs.flatMap((n) => n.users)).filter((id) => !known.user(id))
  const allKnown = known.knowsAllUserIds
  const maybeUsers = allKnown ? [] : known.unknownUsers(unique(needs.flatMap((n) => n.members)))
  const links = ctx.hasAgents ? linkQuery(needs) : undefined
  const roleUsers = unique(needs.flatMap((n) => n.roleUsers ?? []))
  if (groups.length + users.length + maybeUsers.length + roleUsers.length === 0 && !links) return
  const state = await readWriteState(
    ctx.d1,
    ctx.tenantId,
    { groups, users, maybeUsers },
    {
      members: GROUP_MEMBERS_MAX + 1,
      // Member checks coming: in a small tenant, every user id at once instead of these.
      allUserIds: maybeUsers.length > 0 && known.wantsAllUserIds ? ALL_USER_IDS_MAX + 1 : 0,
    },
    { ...(links ? { links } : {}), roleUsers }
  )
  // Read while no write is pending: what D1 holds (./link-snapshot.ts, ./role-snapshot.ts).
  if (links) {
    known.links = state.links?.complete ? new LinkSnapshot(links.sets, state.links) : undefined
  }
  if (state.roles) known.roles = new RoleSnapshot(roleUsers, state.roles.facts, state.roles.states)
  for (const group of state.groups) {
    const members = state.members.get(group.id) ?? []
    known.rememberGroup(group, members.length > GROUP_MEMBERS_MAX ? 'too-many' : new Set(members))
  }
  for (const user of state.users) known.rememberUser(user)
  known.rememberUserIds(state.existing)
  if (state.allUserIds.length > 0) known.rememberAllUserIds(state.allUserIds)
}
