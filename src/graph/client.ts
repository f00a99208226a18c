/**
 * @module Microsoft Graph client of the pull sync (docs/graph-sync.md): app-only token, `$select`
 * and `$top=999` on every call, `ConsistencyLevel: eventual` on casts and their nextLinks,
 * `x-ms-throttle-priority: Low` (background work, docs/graph-sync.md §8), and inline retries
 * within a budget. Every collection call returns ONE page, so the caller can checkpoint the
 * nextLink between pages. Pure: fetch, clock and sleep are injected.
 */
import { GraphError, type CallContext } from './errors'
import type { HttpDeps } from './http'
import { firstPageUrlOf, groupsByNameUrl, groupUrl, type FirstPageKind } from './query'
import { getPage, getParsed, type GraphSession, type ParsedPage } from './request'
import {
  directoryObjectSchema,
  groupSchema,
  userSchema,
  type GraphDirectoryObject,
  type GraphGroup,
  type GraphUser,
} from './schemas'
import { createTokenProvider, type GraphCredentials, type TokenCache } from './token'

export { GROUP_SELECT, USER_SELECT } from './query'
export type { CachedToken, GraphCredentials, TokenCache } from './token'

export interface GraphClientSettings {
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string
  /** e.g. https://login.microsoftonline.com */
  tokenBaseUrl: string
  /** Inline retries of a 429/503/504 before failing with throttled/unavailable. */
  maxInlineRetries: number
  /** Longest single wait slept inline; a longer Retry-After fails at once. */
  maxInlineWaitMs: number
  /** All the waits this client sleeps inline, at most; past it a retryable answer fails at once. */
  maxInlineWaitTotalMs?: number | undefined
}

export interface GraphClientDeps extends HttpDeps {
  tokenCache?: TokenCache
}

/** One page of a collection; `nextLink` is undefined on the last page. */
export interface GraphPage<T> {
  items: T[]
  nextLink: string | undefined
  requestId: string | undefined
}

export interface GraphClient {
  /** Groups with exactly this displayName: 0, 1 or several (not unique, docs/graph-sync.md §3). */
  findGroupsByDisplayName(name: string): Promise<GraphGroup[]>
  /** A group by id (notFound failure when it was deleted). */
  getGroup(groupId: string): Promise<GraphGroup>
  /** The first page URL of child groups, transitive users or direct members of a group. */
  firstPageUrl(kind: FirstPageKind, groupId: string): string
  getGroupsPage(url: string): Promise<GraphPage<GraphGroup>>
  getUsersPage(url: string): Promise<GraphPage<GraphUser>>
  getDirectoryObjectsPage(url: string): Promise<GraphPage<GraphDirectoryObject>>
  /** Graph HTTP requests made so far, retries included (token requests not counted). */
  readonly requestsMade: number
  /** Token endpoint HTTP requests made so far. */
  readonly tokenRequestsMade: number
}

/**
 * Users without userPrincipalName are the limited-information form: the app lacks User.Read.All
 * (docs/graph-sync.md §2).
 */
function assertFullUsers(users: readonly GraphUser[], call: CallContext): void {
  if (users.some((user) => user.userPrincipalName === null)) {
    throw new GraphError({
      kind: 'credentials',
      message: `Graph returned the users of ${call.method} ${call.path} without their properties (limited-information form): grant the application permission User.Read.All with admin consent`,
      status: 200,
      requestId: call.requestId,
    })
  }
}

const toPage = <T>({ items, nextLink, call }: ParsedPage<T>): GraphPage<T> => ({
  items,
  nextLink,
  requestId: call.requestId,
})

async function findGroups(
  session: GraphSession,
  graphBaseUrl: string,
  name: string
): Promise<GraphGroup[]> {
  const groups: GraphGroup[] = []
  let url: string | undefined = groupsByNameUrl(graphBaseUrl, name)
  while (url !== undefined) {
    const page: ParsedPage<GraphGroup> = await getPage(session, url, groupSchema)
    groups.push(...page.items)
    url = page.nextLink
  }
  return groups
}

/** Creates a client for one tenant. */
export function createGraphClient(
  settings: GraphClientSettings,
  credentials: GraphCredentials,
  deps: GraphClientDeps
): GraphClient {
  const graphBaseUrl = settings.graphBaseUrl.replace(/\/+$/, '')
  const waits = { sleptMs: 0 }
  const tokens = createTokenProvider(settings, credentials, deps, deps.tokenCache, waits)
  const session: GraphSession = {
    policy: settings,
    waits,
    base: new URL(graphBaseUrl),
    credentials,
    deps,
    tokens,
    requestsMade: 0,
  }
  return {
    findGroupsByDisplayName: (name) => findGroups(session, graphBaseUrl, name),
    getGroup: async (groupId) =>
      (await getParsed(session, groupUrl(graphBaseUrl, groupId), groupSchema)).data,
    firstPageUrl: (kind, groupId) => firstPageUrlOf(graphBaseUrl, kind, groupId),
    getGroupsPage: async (url) => toPage(await getPage(session, url, groupSchema)),
    async getUsersPage(url) {
      const page = await getPage(session, url, userSchema)
      assertFullUsers(page.items, page.call)
      return toPage(page)
    },
    async getDirectoryObjectsPage(url) {
      const page = await getPage(session, url, directoryObjectSchema)
      assertFullUsers(
        page.items.flatMap((o) => (o.kind === 'user' ? [o.user] : [])),
        page.call
      )
      return toPage(page)
    },
    get requestsMade() {
      return session.requestsMade
    },
    get tokenRequestsMade() {
      return tokens.requestsMade
    },
  }
}
