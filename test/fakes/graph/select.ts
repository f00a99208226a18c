/**
 * @module `$select` and the JSON form of directory objects in the fake Graph: default property
 * sets (docs/graph-sync.md §4: employeeId, accountEnabled, … only when selected), `@odata.type`
 * on directoryObject collections, and the limited-information form of users
 * (docs/graph-sync.md §2).
 */
import {
  isDynamic,
  type Directory,
  type FakeGroup,
  type FakeUser,
  type OpaqueObject,
} from './directory.ts'
import { GraphProblem } from './wire.ts'

/** Properties Graph has but the fake does not model: always their "unset" value. */
const USER_UNMODELLED: Readonly<Record<string, unknown>> = {
  businessPhones: [],
  jobTitle: null,
  mobilePhone: null,
  officeLocation: null,
  preferredLanguage: null,
  department: null,
  companyName: null,
}
const USER_MODELLED = [
  'id',
  'userPrincipalName',
  'mail',
  'employeeId',
  'displayName',
  'givenName',
  'surname',
  'accountEnabled',
  'otherMails',
  'proxyAddresses',
  'userType',
]
/** The properties GET /users returns without $select (docs/graph-sync.md §4). */
const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
]
const GROUP_MODELLED = [
  'id',
  'displayName',
  'groupTypes',
  'securityEnabled',
  'mailEnabled',
  'membershipRule',
]
const GROUP_UNMODELLED: Readonly<Record<string, unknown>> = {
  description: null,
  mail: null,
  createdDateTime: null,
  visibility: null,
}
const GROUP_DEFAULT = [
  ...GROUP_MODELLED,
  'membershipRuleProcessingState',
  ...Object.keys(GROUP_UNMODELLED),
]
const OTHER_PROPERTIES = ['id', 'displayName']
const OTHER_SELECTABLE: ReadonlySet<string> = new Set(OTHER_PROPERTIES)

export type ObjectKind = 'user' | 'group' | 'directoryObject'

const SELECTABLE: Record<ObjectKind, ReadonlySet<string>> = {
  user: new Set([...USER_MODELLED, ...Object.keys(USER_UNMODELLED)]),
  group: new Set(GROUP_DEFAULT),
  directoryObject: new Set([...USER_MODELLED, ...Object.keys(USER_UNMODELLED), ...GROUP_DEFAULT]),
}

/** Parses `$select`; an unknown property is a 400 like Graph's. Undefined = default set. */
export function parseSelect(raw: string | null, kind: ObjectKind): string[] | undefined {
  if (raw === null) return undefined
  const names = raw.split(',').map((name) => name.trim())
  for (const name of names) {
    if (!SELECTABLE[kind].has(name)) {
      throw new GraphProblem(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.${kind}'.`
      )
    }
  }
  return names
}

/** How objects of one response are rendered. */
export interface Projection {
  select: string[] | undefined
  /** directoryObject collections tag every item with its `@odata.type`. */
  withType: boolean
  /** Without User.Read.All, member users show only `@odata.type` and id (docs/graph-sync.md §2). */
  limitedUsers: boolean
}

function pick(
  source: Readonly<Record<string, unknown>>,
  names: readonly string[],
  allowed: ReadonlySet<string>
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: source['id'] }
  for (const name of names) {
    if (allowed.has(name) && name !== 'id') out[name] = source[name]
  }
  return out
}

function userJson(user: FakeUser, p: Projection): Record<string, unknown> {
  const names = p.select ?? USER_DEFAULT
  if (!p.limitedUsers) return pick({ ...USER_UNMODELLED, ...user }, names, SELECTABLE.user)
  const limited: Record<string, unknown> = { id: user.id }
  for (const name of names) if (name !== 'id' && SELECTABLE.user.has(name)) limited[name] = null
  return limited
}

function groupJson(group: FakeGroup): Record<string, unknown> {
  const { members: _members, ...rest } = group
  const membershipRuleProcessingState = isDynamic(group) ? 'On' : null
  return { ...GROUP_UNMODELLED, ...rest, membershipRuleProcessingState }
}

function otherJson(other: OpaqueObject, p: Projection): Record<string, unknown> {
  const names = p.select ?? OTHER_PROPERTIES
  const json = { id: other.id, displayName: other.displayName ?? null }
  return pick(json, names, OTHER_SELECTABLE)
}

const typed = (
  type: string,
  body: Record<string, unknown>,
  p: Projection
): Record<string, unknown> => (p.withType ? { '@odata.type': type, ...body } : body)

/** The JSON of one directory object, or undefined when the id is unknown. */
export function project(
  dir: Directory,
  objectId: string,
  p: Projection
): Record<string, unknown> | undefined {
  const user = dir.users.get(objectId)
  if (user !== undefined) return typed('#microsoft.graph.user', userJson(user, p), p)
  const group = dir.groups.get(objectId)
  if (group !== undefined) {
    const json = pick(groupJson(group), p.select ?? GROUP_DEFAULT, SELECTABLE.group)
    return typed('#microsoft.graph.group', json, p)
  }
  const other = dir.others.get(objectId)
  return other === undefined ? undefined : typed(other['@odata.type'], otherJson(other, p), p)
}
