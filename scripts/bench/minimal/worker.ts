/**
 * @module The bench's minimal floor: a SCIM Worker of the product's design and nothing more. A
 * bearer token (`<tenantId>.<secret>`, compared with one secret), every read one D1 batch
 * (the resource with its groups or members, a list with its total), every write through the
 * tenant's Durable Object (./writer.ts). No product rules, history or log line. Its D1 is tapped
 * like the product's in the bench (../worker/trips.ts), so both answer with their round trips
 * and pay the same injected latency.
 */
import { countedFetch, latencyOf, perEnv, tapDatabases } from '../worker/trips'
import {
  ROW_COLUMNS,
  TABLE,
  scimError,
  scimJson,
  toDocument,
  type Kind,
  type MinimalEnv,
  type RelationRow,
  type Row,
} from './shared'

export { MinimalWriter } from './writer'

const ROUTE = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/
const EQ_FILTER = /^(userName|displayName) eq "(.*)"$/i

function tenantOf(request: Request, env: MinimalEnv): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('Authorization') ?? '')?.[1] ?? ''
  const dot = token.indexOf('.')
  if (dot <= 0 || !env.MIN_SECRET) return undefined
  const enc = new TextEncoder()
  const [a, b] = [enc.encode(token.slice(dot + 1)), enc.encode(env.MIN_SECRET)]
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b)
    ? token.slice(0, dot)
    : undefined
}

/** Which rows a read selects: a WHERE clause on the resource table (alias r). */
interface Selection {
  where: string
  params: unknown[]
  limit: number
  offset: number
}

function relationSql(kind: Kind, ids: string): string {
  return kind === 'Users'
    ? `SELECT gm.user_id AS owner, gm.group_id AS value, json_extract(g.data, '$.displayName') AS display
       FROM group_members gm JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
       WHERE gm.tenant_id = ? AND gm.user_id IN (${ids})`
    : `SELECT gm.group_id AS owner, gm.user_id AS value,
         coalesce(json_extract(u.data, '$.displayName'), json_extract(u.data, '$.userName')) AS display
       FROM group_members gm JOIN users u ON u.tenant_id = gm.tenant_id AND u.id = gm.user_id
       WHERE gm.tenant_id = ? AND gm.group_id IN (${ids})`
}

/** The rows, their total and (when wanted) their relation, in one D1 batch. */
async function read(db: D1Database, tenantId: string, kind: Kind, s: Selection, relation: boolean) {
  const from = `FROM ${TABLE[kind]} r WHERE r.tenant_id = ? AND ${s.where}`
  const params = [tenantId, ...s.params]
  const page = `${from} ORDER BY r.id LIMIT ? OFFSET ?`
  const statements = [
    db.prepare(`SELECT count(*) AS n ${from}`).bind(...params),
    db.prepare(`SELECT ${ROW_COLUMNS} ${page}`).bind(...params, s.limit, s.offset),
  ]
  if (relation) {
    const ids = `SELECT r.id ${page}`
    statements.push(db.prepare(relationSql(kind, ids)).bind(tenantId, ...params, s.limit, s.offset))
  }
  const [count, rows, related] = await db.batch(statements)
  const byOwner = new Map<string, RelationRow[]>()
  for (const r of (related?.results ?? []) as RelationRow[]) {
    byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r])
  }
  const total = (count?.results[0] as { n?: number } | undefined)?.n ?? 0
  const list = (rows?.results ?? []) as Row[]
  return { total, rows: list, relation: relation ? byOwner : undefined }
}

function selection(kind: Kind, url: URL, id: string | undefined): Selection | Response {
  if (id !== undefined) return { where: 'r.id = ?', params: [id], limit: 1, offset: 0 }
  const filter = url.searchParams.get('filter')
  const startIndex = Math.max(1, Number(url.searchParams.get('startIndex') ?? '1') || 1)
  const limit = Math.min(1000, Number(url.searchParams.get('count') ?? '100') || 100)
  if (filter === null) return { where: '1 = 1', params: [], limit, offset: startIndex - 1 }
  const m = EQ_FILTER.exec(filter)
  const column = kind === 'Users' ? 'userName' : 'displayName'
  if (!m || m[1]?.toLowerCase() !== column.toLowerCase())
    return scimError(400, 'unsupported filter')
  const where = kind === 'Users' ? 'r.user_name_ci = ?' : 'r.display_name_ci = ?'
  return { where, params: [(m[2] ?? '').toLowerCase()], limit, offset: startIndex - 1 }
}

async function get(env: MinimalEnv, tenantId: string, kind: Kind, url: URL, id?: string) {
  const s = selection(kind, url, id)
  if (s instanceof Response) return s
  const excluded = (url.searchParams.get('excludedAttributes') ?? '').toLowerCase().split(',')
  const relation = !excluded.includes(kind === 'Users' ? 'groups' : 'members')
  const r = await read(env.DB, tenantId, kind, s, relation)
  const base = `${url.origin}/scim/v2`
  const docs = r.rows.map((row) =>
    toDocument(kind, row, base, r.relation?.get(row.id) ?? (relation ? [] : undefined))
  )
  if (id !== undefined) {
    const [doc] = docs
    return doc ? scimJson(doc) : scimError(404, `${kind} ${id} not found`)
  }
  return scimJson({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: r.total,
    itemsPerPage: docs.length,
    startIndex: s.offset + 1,
    Resources: docs,
  })
}

async function write(request: Request, env: MinimalEnv, tenantId: string, kind: Kind, id?: string) {
  const body: unknown = await request.json()
  const json =
    typeof body === 'object' && body !== null ? Object.fromEntries(Object.entries(body)) : {}
  const writer = env.WRITER.getByName(tenantId)
  const requestId = request.headers.get('X-Request-Id')
  const answer =
    id === undefined
      ? await writer.create(requestId, tenantId, kind, json)
      : await writer.patch(requestId, tenantId, kind, id, json)
  if (answer.row === undefined) {
    return answer.status === 204
      ? new Response(null, { status: 204 })
      : scimError(answer.status, answer.detail ?? '')
  }
  const origin = new URL(request.url).origin
  const doc = toDocument(kind, answer.row, `${origin}/scim/v2`, id === undefined ? [] : undefined)
  return scimJson(doc, answer.status)
}

async function route(request: Request, env: MinimalEnv): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/health') return Response.json({ status: 'ok' })
  const m = ROUTE.exec(url.pathname)
  const kind = m?.[1] === 'Users' || m?.[1] === 'Groups' ? m[1] : undefined
  if (!m || kind === undefined) return scimError(404, 'not found')
  const tenantId = tenantOf(request, env)
  if (tenantId === undefined) return scimError(401, 'bad token')
  const id = m[2]
  if (request.method === 'GET') return get(env, tenantId, kind, url, id)
  if (request.method === 'POST' && id === undefined) return write(request, env, tenantId, kind)
  if (request.method === 'PATCH' && id !== undefined) return write(request, env, tenantId, kind, id)
  return scimError(405, 'method not allowed')
}

const tapped = perEnv((env: MinimalEnv) =>
  tapDatabases(env, ['DB'], latencyOf(env.BENCH_D1_LATENCY_MS))
)

export default {
  fetch: (request, env) => countedFetch(request, () => route(request, tapped(env))),
} satisfies ExportedHandler<MinimalEnv>
