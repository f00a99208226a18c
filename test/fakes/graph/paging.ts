/**
 * @module Query options and server-driven paging of the fake Graph (docs/graph-sync.md §4): `$top`
 * 1..999 (default 100), `$count` only with `ConsistencyLevel: eventual`, and `@odata.nextLink`
 * as an absolute URL on the request's origin carrying an opaque `$skiptoken`.
 */
import { GraphProblem } from './wire.ts'

const DEFAULT_PAGE_SIZE = 100
const MAX_TOP = 999
const KNOWN_OPTIONS = new Set(['$select', '$top', '$count', '$filter', '$skiptoken'])

/** The parsed query options of a collection request. */
export interface CollectionQuery {
  top: number
  offset: number
  /** `$count=true` on a request without $skiptoken: the page carries `@odata.count`. */
  count: boolean
  countRequested: boolean
}

const badRequest = (message: string): GraphProblem =>
  new GraphProblem(400, 'Request_BadRequest', message)

/** Refuses query options the fake does not implement, rather than silently ignoring them. */
export function assertKnownOptions(url: URL): void {
  for (const key of url.searchParams.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key)) {
      const message = `The query option '${key}' is not supported by the fake Graph.`
      throw new GraphProblem(400, 'Request_UnsupportedQuery', message)
    }
  }
}

function parseTop(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_SIZE
  const top = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(top >= 1 && top <= MAX_TOP)) {
    const limits = `Must be between 1 and ${String(MAX_TOP)} inclusive.`
    throw badRequest(`Invalid page size specified: '${raw}'. ${limits}`)
  }
  return top
}

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): string | undefined {
  try {
    return atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    return undefined
  }
}

/** An opaque page token bound to the collection path, so it cannot be replayed elsewhere. */
const encodeSkipToken = (path: string, offset: number): string =>
  `RFNwdAIA${toBase64Url(JSON.stringify({ p: path.toLowerCase(), o: offset }))}`

function decodeSkipToken(token: string, path: string): number {
  const json = token.startsWith('RFNwdAIA') ? fromBase64Url(token.slice(8)) : undefined
  let parsed: unknown
  try {
    parsed = json === undefined ? undefined : JSON.parse(json)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null && 'p' in parsed && 'o' in parsed) {
    if (parsed.p === path.toLowerCase() && typeof parsed.o === 'number') return parsed.o
  }
  throw badRequest(`Invalid value '${token}' for the query option '$skiptoken'.`)
}

/** Parses $top, $count and $skiptoken; `advanced` = the request sent ConsistencyLevel: eventual. */
export function parseCollectionQuery(url: URL, advanced: boolean): CollectionQuery {
  assertKnownOptions(url)
  const top = parseTop(url.searchParams.get('$top'))
  const rawCount = url.searchParams.get('$count')
  if (rawCount !== null && rawCount !== 'true' && rawCount !== 'false') {
    throw badRequest(`Invalid value '${rawCount}' for the query option '$count'.`)
  }
  const countRequested = rawCount === 'true'
  // $count without the advanced-query header is refused (docs/graph-sync.md §11).
  if (countRequested && !advanced) throw badRequest('$count is not currently supported.')
  const token = url.searchParams.get('$skiptoken')
  const offset = token === null ? 0 : decodeSkipToken(token, url.pathname)
  return { top, offset, count: countRequested && token === null, countRequested }
}

/** The request URL with `$skiptoken` set to the next page; other options kept as sent. */
function nextLinkOf(url: URL, offset: number): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part))
  kept.push(`$skiptoken=${encodeSkipToken(url.pathname, offset)}`)
  return `${url.origin}${url.pathname}?${kept.join('&')}`
}

/** One page of a collection: `@odata.context`, `@odata.count` (first page), nextLink, value. */
export function pageOf<T>(
  url: URL,
  context: string,
  items: readonly T[],
  query: CollectionQuery,
  render: (item: T) => Record<string, unknown> | undefined,
  maxPageSize: number | undefined
): Record<string, unknown> {
  const size = Math.min(query.top, maxPageSize ?? MAX_TOP)
  const end = query.offset + size
  const body: Record<string, unknown> = {
    '@odata.context': `${url.origin}/v1.0/$metadata#${context}`,
  }
  if (query.count) body['@odata.count'] = items.length
  if (end < items.length) body['@odata.nextLink'] = nextLinkOf(url, end)
  body['value'] = items.slice(query.offset, end).flatMap((item) => render(item) ?? [])
  return body
}
