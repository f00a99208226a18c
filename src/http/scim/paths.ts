/**
 * @module Where the SCIM endpoint lives and how client spellings of its paths map onto the
 * canonical ones. Pure: the composition root rewrites the request path with it before routing.
 */

/**
 * The base paths the endpoint answers under: `/scim/v2`, `/scim/v1` (the path one vendor
 * publishes) and `/rest/scim/v2` (the tenant URL in TrackTik's guide). Responses build their
 * locations from the base the client used.
 */
export const SCIM_BASE_PATHS = ['/scim/v2', '/scim/v1', '/rest/scim/v2'] as const

/** The SCIM base path `pathname` is under, or undefined when it is not a SCIM path. */
export const scimBaseOf = (pathname: string): string | undefined =>
  SCIM_BASE_PATHS.find((base) => pathname === base || pathname.startsWith(`${base}/`))

/** The endpoints of RFC 7644 §3.2 and §4 that follow the base, in their canonical case. */
const ENDPOINTS = ['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas']
const SEARCH = '.search'
const canonical = new Map(ENDPOINTS.map((name) => [name.toLowerCase(), name]))

/**
 * `pathname` with its endpoint segment, and a `.search` after Users or Groups, in canonical
 * case: `/scim/v2/users/AbC` → `/scim/v2/Users/AbC`. Resource ids and schema URNs keep the
 * client's spelling; paths outside the SCIM base are returned as they are.
 */
export function canonicalScimPath(pathname: string): string {
  const base = scimBaseOf(pathname)
  if (base === undefined) return pathname
  const [empty, endpoint, next, ...rest] = pathname.slice(base.length).split('/')
  const name = endpoint === undefined ? undefined : canonical.get(endpoint.toLowerCase())
  if (name === undefined) return pathname
  const search =
    (name === 'Users' || name === 'Groups') && next?.toLowerCase() === SEARCH ? SEARCH : next
  const tail = search === undefined ? [] : [search, ...rest]
  return [`${base}${empty ?? ''}`, name, ...tail].join('/')
}
