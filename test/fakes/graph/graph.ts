/**
 * @module The fake Graph v1.0 endpoints the pull sync needs: group lookup by displayName
 * (docs/graph-sync.md §3), groups and users by id, direct and transitive members with type casts
 * (docs/graph-sync.md §4), and the user list. Each handler gets the authenticated call and returns
 * a Response or throws a GraphProblem that the app renders as a Graph error body.
 */
import {
  odataTypeOf,
  transitiveMemberIds,
  type Directory,
  type FakeUser,
  type Permission,
} from './directory.ts'
import { assertKnownOptions, pageOf, parseCollectionQuery } from './paging.ts'
import { parseSelect, project, type ObjectKind, type Projection } from './select.ts'
import type { DirectoryEntry } from './state.ts'
import { GraphProblem, graphJson, type RequestInfo } from './wire.ts'

/** One authenticated Graph request, as the routes see it. */
export interface GraphCall {
  info: RequestInfo
  entry: DirectoryEntry
  url: URL
  /** The request sent `ConsistencyLevel: eventual` (advanced query, docs/graph-sync.md §3). */
  advanced: boolean
}

/** Hono environment of the fake's app: the authenticated call set by the Graph middleware. */
export interface FakeEnv {
  Variables: { call: GraphCall }
}

const GROUP_READ: readonly Permission[] = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
]
const USER_READ: readonly Permission[] = ['User.Read.All', 'Directory.Read.All']

interface Cast {
  type: string
  kind: ObjectKind
  context: string
}
const CASTS: Readonly<Record<string, Cast>> = {
  'microsoft.graph.user': { type: '#microsoft.graph.user', kind: 'user', context: 'users' },
  'microsoft.graph.group': { type: '#microsoft.graph.group', kind: 'group', context: 'groups' },
}

const can = (dir: Directory, permissions: readonly Permission[]): boolean =>
  permissions.some((p) => dir.permissions.has(p))

function requirePermission(call: GraphCall, permissions: readonly Permission[]): void {
  if (!can(call.entry.directory, permissions)) {
    const message = 'Insufficient privileges to complete the operation.'
    throw new GraphProblem(403, 'Authorization_RequestDenied', message)
  }
}

/** Graph's answer to a path segment it does not know. */
export const segmentNotFound = (segment: string): GraphProblem =>
  new GraphProblem(400, 'Request_BadRequest', `Resource not found for the segment '${segment}'.`)

const notFound = (objectId: string): GraphProblem =>
  new GraphProblem(
    404,
    'Request_ResourceNotFound',
    `Resource '${objectId}' does not exist or one of its queried reference-property objects are not present.`
  )

const unsupported = (message: string): GraphProblem =>
  new GraphProblem(400, 'Request_UnsupportedQuery', message)

const contextOf = (name: string, select: readonly string[] | undefined): string =>
  select === undefined ? name : `${name}(${select.join(',')})`

/** x-ms-resource-unit, Graph's cost of a request (docs/graph-sync.md §4): $select saves one. */
const resourceUnits = (base: number, select: unknown): Record<string, string> => ({
  'x-ms-resource-unit': String(Math.max(1, base - (select === undefined ? 0 : 1))),
})

/** How one collection response is built. */
interface Listing {
  ids: readonly string[]
  kind: ObjectKind
  context: string
  withType: boolean
  limitedUsers: boolean
  resourceUnits: number
}

/** Typed collections: no `@odata.type` tags, full users (the route demanded User.Read.All). */
const PLAIN = { withType: false, limitedUsers: false }

function respondPage(call: GraphCall, listing: Listing): Response {
  const { directory: dir, faults } = call.entry
  const query = parseCollectionQuery(call.url, call.advanced)
  const select = parseSelect(call.url.searchParams.get('$select'), listing.kind)
  const p: Projection = { select, withType: listing.withType, limitedUsers: listing.limitedUsers }
  const context = contextOf(listing.context, select)
  const render = (id: string): Record<string, unknown> | undefined => project(dir, id, p)
  const body = pageOf(call.url, context, listing.ids, query, render, faults.faults.pageSize)
  return graphJson(call.info, body, resourceUnits(listing.resourceUnits, select))
}

/** The literal of `displayName eq '…'`, quotes undoubled (docs/graph-sync.md §3); nothing else. */
function parseDisplayNameFilter(filter: string): string {
  const match = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter)
  if (match?.[1] === undefined) {
    throw unsupported(
      `Unsupported or invalid query filter clause specified: '${filter}'. The fake Graph supports only displayName eq '<literal>'.`
    )
  }
  return match[1].replace(/''/g, "'")
}

/** `GET /groups[?$filter=displayName eq '…']`; the comparison is case-insensitive like Entra's. */
export function listGroups(call: GraphCall): Response {
  requirePermission(call, GROUP_READ)
  const filter = call.url.searchParams.get('$filter')
  const wanted = filter === null ? undefined : parseDisplayNameFilter(filter).toLowerCase()
  const ids = [...call.entry.directory.groups.values()]
    .filter((g) => wanted === undefined || g.displayName.toLowerCase() === wanted)
    .map((g) => g.id)
  const listing: Listing = { ids, kind: 'group', context: 'groups', ...PLAIN, resourceUnits: 1 }
  return respondPage(call, listing)
}

/** `GET /users`: every user, paged. */
export function listUsers(call: GraphCall): Response {
  requirePermission(call, USER_READ)
  const ids = [...call.entry.directory.users.keys()]
  const listing: Listing = { ids, kind: 'user', context: 'users', ...PLAIN, resourceUnits: 2 }
  return respondPage(call, listing)
}

/** One object by id; `key` is what the caller asked for (named in the 404). */
function single(
  call: GraphCall,
  objectId: string | undefined,
  kind: ObjectKind,
  key: string
): Response {
  assertKnownOptions(call.url)
  const select = parseSelect(call.url.searchParams.get('$select'), kind)
  const p: Projection = { select, withType: false, limitedUsers: false }
  const json = objectId === undefined ? undefined : project(call.entry.directory, objectId, p)
  if (json === undefined) throw notFound(key)
  const context = `${call.url.origin}/v1.0/$metadata#${kind}s/$entity`
  return graphJson(call.info, { '@odata.context': context, ...json }, resourceUnits(1, select))
}

/** `GET /groups/{id}`. */
export function getGroup(call: GraphCall, groupId: string): Response {
  requirePermission(call, GROUP_READ)
  const known = call.entry.directory.groups.has(groupId)
  return single(call, known ? groupId : undefined, 'group', groupId)
}

function byUpn(users: Iterable<FakeUser>, upn: string): FakeUser | undefined {
  const wanted = upn.toLowerCase()
  for (const user of users) if (user.userPrincipalName.toLowerCase() === wanted) return user
  return undefined
}

/** `GET /users/{id | userPrincipalName}`. */
export function getUser(call: GraphCall, key: string): Response {
  requirePermission(call, USER_READ)
  const { users } = call.entry.directory
  const user = users.get(key) ?? byUpn(users.values(), key)
  return single(call, user?.id, 'user', key)
}

/** The cast of a member route; casts need advanced query parameters (docs/graph-sync.md §4). */
function castOf(call: GraphCall, cast: string | undefined): Cast | undefined {
  if (cast === undefined) return undefined
  const target = CASTS[cast]
  if (target === undefined) throw segmentNotFound(cast)
  if (!call.advanced || call.url.searchParams.get('$count') !== 'true') {
    throw unsupported(
      "Unsupported Query. Type cast segments require advanced query parameters: send the header 'ConsistencyLevel: eventual' and the query option '$count=true'."
    )
  }
  return target
}

/**
 * `GET /groups/{id}/members|transitiveMembers[/microsoft.graph.user|group]`. Without
 * User.Read.All member users come back in the limited-information form (docs/graph-sync.md §2).
 */
export function listMembers(
  call: GraphCall,
  groupId: string,
  relation: string,
  cast: string | undefined
): Response {
  if (relation !== 'members' && relation !== 'transitiveMembers') throw segmentNotFound(relation)
  const target = castOf(call, cast)
  requirePermission(call, GROUP_READ)
  const dir = call.entry.directory
  const group = dir.groups.get(groupId)
  if (group === undefined) throw notFound(groupId)
  const all = relation === 'members' ? group.members : transitiveMemberIds(dir, groupId)
  return respondPage(call, {
    ids: target === undefined ? all : all.filter((id) => odataTypeOf(dir, id) === target.type),
    kind: target?.kind ?? 'directoryObject',
    context: target?.context ?? 'directoryObjects',
    withType: target === undefined,
    limitedUsers: !can(dir, USER_READ),
    resourceUnits: relation === 'members' ? 3 : 5,
  })
}
