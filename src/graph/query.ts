/**
 * @module Graph request URLs of the pull sync (docs/graph-sync.md §3, §4): `$select` lists (the
 * default property sets lack employeeId, accountEnabled, …), `$top=999` on every collection, and
 * `$count=true` on type casts, which also need the `ConsistencyLevel: eventual` header.
 */

/** User properties for linking (docs/graph-sync.md §4, §5), plus givenName and surname. */
export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'mail',
  'employeeId',
  'displayName',
  'accountEnabled',
  'otherMails',
  'proxyAddresses',
  'userType',
  'givenName',
  'surname',
] as const

/**
 * Group properties that tell security, Microsoft 365 and dynamic groups apart
 * (docs/graph-sync.md §6).
 */
export const GROUP_SELECT = [
  'id',
  'displayName',
  'groupTypes',
  'securityEnabled',
  'mailEnabled',
  'membershipRule',
] as const

/** Both, for directoryObject collections holding users and groups. */
const DIRECTORY_OBJECT_SELECT = [...new Set([...USER_SELECT, ...GROUP_SELECT])]

/** The largest page Graph serves for directory collections (docs/graph-sync.md §4). */
const MAX_PAGE_SIZE = 999

/** The collections a sync walks from a group. */
export type FirstPageKind = 'childGroups' | 'transitiveUsers' | 'directMembers'

/** Percent-encoding of RFC 3986 §2.3: everything but unreserved characters (so also ' ( ) ! *). */
const encodeRfc3986 = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )

/** `displayName eq '…'` with quotes doubled, percent-encoded (docs/graph-sync.md §3). */
export const displayNameFilter = (name: string): string =>
  encodeRfc3986(`displayName eq '${name.replace(/'/g, "''")}'`)

const select = (fields: readonly string[]): string => `$select=${fields.join(',')}`
const top = `$top=${String(MAX_PAGE_SIZE)}`

/** The first page of group lookups by displayName. */
export function groupsByNameUrl(graphBaseUrl: string, name: string): string {
  return `${graphBaseUrl}/groups?$filter=${displayNameFilter(name)}&${select(GROUP_SELECT)}&${top}`
}

/** A group by id. */
export function groupUrl(graphBaseUrl: string, groupId: string): string {
  return `${graphBaseUrl}/groups/${encodeRfc3986(groupId)}?${select(GROUP_SELECT)}`
}

/** The first page of one of the collections below a group. */
export function firstPageUrlOf(graphBaseUrl: string, kind: FirstPageKind, groupId: string): string {
  const group = `${graphBaseUrl}/groups/${encodeRfc3986(groupId)}`
  switch (kind) {
    case 'childGroups':
      return `${group}/members/microsoft.graph.group?${select(GROUP_SELECT)}&${top}&$count=true`
    case 'transitiveUsers':
      return `${group}/transitiveMembers/microsoft.graph.user?${select(USER_SELECT)}&${top}&$count=true`
    case 'directMembers':
      return `${group}/members?${select(DIRECTORY_OBJECT_SELECT)}&${top}`
  }
}

/**
 * Whether a request needs `ConsistencyLevel: eventual`: a type-cast segment or `$count=true`.
 * Decided from the URL so nextLinks, which do not carry the header (docs/graph-sync.md §4), get it
 * again.
 */
export function needsEventualConsistency(url: URL): boolean {
  const cast = url.pathname.split('/').some((segment) => segment.startsWith('microsoft.graph.'))
  return cast || url.searchParams.get('$count') === 'true'
}
