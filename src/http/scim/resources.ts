/**
 * @module The SCIM resource endpoints (RFC 7644 §3.2-3.6), one router factory shared by Users
 * and Groups: reads go straight to D1 as one batch with the key check (a GET or a list page
 * with its total and relation is one round trip), writes go through the tenant's Durable
 * Object.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { DEFAULT_PAGE_SIZE, loadConfig } from '../../config'
import { etagMatches, etagOf, type StoredResource } from '../../model/resource'
import type { HonoTypes } from '../../env'
import { notFound } from '../../scim/errors'
import { parseAttributeList, serializeResource } from '../../scim/serialize'
import type { SqlFragment } from '../../storage/filter-sql/compare'
import { type Read, type ReadRow, type TenantScope } from '../../storage/read-batch'
import { foldedRelation, idList, type Relation } from '../../storage/repos/relations'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import type { Outcome } from '../../tenant-do/commands'
import type { WrittenUser } from '../../domain/users'
import { callerEnvelope } from '../envelope'
import { callerScope, readAsCaller, routedWrite } from '../middleware/key-auth'
import { planList, resourceRead } from '../../storage/resource-list'
import { listResponse } from './list'
import { ListQuerySchema, SearchRequestSchema, type ListParams } from './query'
import { methodNotAllowed, scimJson } from './respond'
import {
  relationAttributes,
  wantsAttribute,
  type Projection,
  type ResourceKind,
} from './resource-kind'
import { scimValidator } from './validate'

const emptyRelation = (): Relation => new Map()

const BodySchema = z.record(z.string(), z.unknown())
const ProjectionSchema = z.object({
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
})

const projectionOf = (p: {
  attributes?: string | string[] | undefined
  excludedAttributes?: string | string[] | undefined
}): Projection => ({
  attributes: parseAttributeList(joinList(p.attributes)),
  excludedAttributes: parseAttributeList(joinList(p.excludedAttributes)),
})

const joinList = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v.join(',') : v

/** The relation's read when the projection shows it (RFC 7644 §3.9), else nothing to read. */
const relationReads = (
  kind: ResourceKind,
  p: Projection,
  tenant: TenantScope,
  ids: SqlFragment
): Read<Relation>[] =>
  wantsAttribute(p, kind.relation.name) ? [kind.relation.read(tenant, ids)] : []

/** The resources of one page or write as SCIM documents, with their relation and meta. */
function render(
  c: Context<HonoTypes>,
  kind: ResourceKind,
  items: StoredResource[],
  projection: Projection,
  relation: Relation | undefined
) {
  const extras = relationAttributes(kind.relation.name, relation ?? emptyRelation())
  return items.map((r) =>
    serializeResource(
      kind.resourceType,
      { ...r.doc, ...extras.get(r.id) },
      {
        id: r.id,
        created: r.createdAt,
        lastModified: r.updatedAt,
        version: etagOf(r.version),
        location: `${c.var.scimBase}${kind.endpoint}/${r.id}`,
      },
      projection
    )
  )
}

/** One resource with its ETag, and its Location when it was just created (RFC 7644 §3.3). */
function respond(
  c: Context<HonoTypes>,
  kind: ResourceKind,
  r: StoredResource,
  status: 200 | 201,
  view: { projection: Projection; relation: Relation | undefined }
) {
  const [body] = render(c, kind, [r], view.projection, view.relation)
  const headers: Record<string, string> = { ETag: etagOf(r.version) }
  if (status === 201) headers.Location = `${c.var.scimBase}${kind.endpoint}/${r.id}`
  return scimJson(c, body, status, headers)
}

/**
 * A written resource with its relation. A kind whose writes change the relation (a group's
 * members) reads it after the write; a user's replace or patch carries its groups. A resource
 * created by a body that does not name the relation (any spelling, RFC 7643 §2.1) has none, and
 * a new user is in no group: nothing is read.
 */
async function respondWritten(
  c: Context<HonoTypes>,
  kind: ResourceKind,
  r: WrittenUser,
  status: 200 | 201,
  body?: Record<string, unknown>
) {
  const projection = projectionOf(c.req.query())
  if (r.groups) {
    return respond(c, kind, r, status, { projection, relation: new Map([[r.id, r.groups]]) })
  }
  const named = (key: string) => key.toLowerCase().endsWith(kind.relation.name)
  const created = body !== undefined
  const readAfter = kind.relation.changedByWrites && (!created || Object.keys(body).some(named))
  const [after] = readAfter
    ? await readAsCaller(c, relationReads(kind, projection, callerScope(c), idList([r.id])))
    : []
  return respond(c, kind, r, status, { projection, relation: after })
}

/**
 * How a read shows the relation: folded into the rows it reads (a user's groups), read beside
 * them in the same batch (a group's members, which can be too many for one column), or not at
 * all when the projection leaves it out.
 */
function relationView(kind: ResourceKind, p: Projection) {
  const wanted = wantsAttribute(p, kind.relation.name)
  const fold = wanted ? kind.relation.column : undefined
  return {
    columns: fold ? [fold(kind.table.alias)] : [],
    beside: (tenant: TenantScope, ids: SqlFragment): Read<Relation>[] =>
      fold ? [] : relationReads(kind, p, tenant, ids),
    /** The relation of the rows read: unfolded (lists cut in the column read in full), or `beside`'s. */
    async of(c: Context<HonoTypes>, rows: ReadRow[], beside: Relation | undefined) {
      if (!fold) return beside
      const { relation, cut } = foldedRelation(rows)
      if (cut.length === 0) return relation
      const [full] = await readAsCaller(c, [kind.relation.read(callerScope(c), idList(cut))])
      return new Map([...relation, ...full])
    },
  }
}

/**
 * A list or search (RFC 7644 §3.4.2, §3.4.3): its page, total and relation in one batch (the
 * total is read again only for an empty page past the first row).
 */
async function list(c: Context<HonoTypes>, kind: ResourceKind, params: ListParams) {
  const config = loadConfig(c.env)
  const projection = projectionOf(params)
  const view = relationView(kind, projection)
  const tenant = callerScope(c)
  const plan = planList(
    params,
    {
      table: kind.table,
      resolve: kind.resolve,
      defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, config.maxPageSize),
      maxPageSize: config.maxPageSize,
      columns: view.columns,
    },
    tenant
  )
  const [read, beside] = await readAsCaller(c, [plan.page, ...view.beside(tenant, plan.ids)])
  const total = read.total ?? (await readAsCaller(c, [plan.count]))[0]
  const page = plan.result(read, total)
  const relation = await view.of(
    c,
    read.rows.map((r) => r.row),
    beside
  )
  return scimJson(c, listResponse(page, render(c, kind, page.resources, projection, relation)))
}

/** One resource by id; 304 when If-None-Match names its version (RFC 7644 §3.14). */
async function getOne(c: Context<HonoTypes>, kind: ResourceKind, id: string, p: Projection) {
  const view = relationView(kind, p)
  const tenant = callerScope(c)
  const [found, beside] = await readAsCaller(c, [
    resourceRead(kind.table, tenant, id, view.columns),
    ...view.beside(tenant, idList([id])),
  ])
  if (!found) throw notFound(`${kind.name} "${id}" not found`)
  const r = found.resource
  const inm = c.req.header('If-None-Match')
  if (inm !== undefined && etagMatches(inm, r.version)) {
    return c.body(null, 304, { ETag: etagOf(r.version) })
  }
  const relation = await view.of(c, [found.row], beside)
  return respond(c, kind, r, 200, { projection: p, relation })
}

/**
 * The tenant's object and the envelope of a SCIM write to it. When this isolate knows the key's
 * tenant, the object judges the key (no round trip here before the write); else the key is read
 * first. `admitted` unwraps the object's answer and records the caller.
 */
async function writer(c: Context<HonoTypes>) {
  const routed = routedWrite(c)
  if (routed) {
    const { envelope } = routed
    const admitted = <T>(outcome: Outcome<T>): T => {
      const value = unwrap(outcome)
      routed.admitted()
      return value
    }
    return { w: tenantWriter(c.env, envelope.tenantId), envelope, admitted }
  }
  await readAsCaller(c, [])
  const envelope = callerEnvelope(c, 'scim')
  return { w: tenantWriter(c.env, envelope.tenantId), envelope, admitted: unwrap }
}

export function resourceRouter(kind: ResourceKind): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>()

  app.get('/', scimValidator('query', ListQuerySchema), (c) => list(c, kind, c.req.valid('query')))

  app.post('/.search', scimValidator('json', SearchRequestSchema, 'invalidSyntax'), (c) =>
    list(c, kind, c.req.valid('json'))
  )
  // Before '/:id', which would otherwise read GET /Users/.search as a lookup of id ".search".
  app.all('/.search', methodNotAllowed('POST'))

  app.get('/:id', scimValidator('query', ProjectionSchema), (c) =>
    getOne(c, kind, c.req.param('id'), projectionOf(c.req.valid('query')))
  )

  app.post('/', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const body = c.req.valid('json')
    const { w, envelope, admitted } = await writer(c)
    const r = admitted(await kind.writes.create(w, envelope, body))
    return respondWritten(c, kind, r, 201, body)
  })

  app.put('/:id', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const id = c.req.param('id')
    const { w, envelope, admitted } = await writer(c)
    const ifMatch = c.req.header('If-Match')
    const r = admitted(await kind.writes.replace(w, envelope, id, c.req.valid('json'), ifMatch))
    return respondWritten(c, kind, r, 200)
  })

  app.patch('/:id', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const id = c.req.param('id')
    const { w, envelope, admitted } = await writer(c)
    const ifMatch = c.req.header('If-Match')
    const r = admitted(await kind.writes.patch(w, envelope, id, c.req.valid('json'), ifMatch))
    // Entra expects 204 for group PATCH (a full member list back is discouraged).
    if (kind.patchStatus === 204) return c.body(null, 204, { ETag: etagOf(r.version) })
    return respondWritten(c, kind, r, 200)
  })

  app.delete('/:id', async (c) => {
    const { w, envelope, admitted } = await writer(c)
    admitted(await kind.writes.delete(w, envelope, c.req.param('id'), c.req.header('If-Match')))
    return c.body(null, 204)
  })

  // RFC 7644 §3.2: the collection is listed and created into; a resource read, replaced, patched
  // and deleted. Any other method answers 405.
  app.all('/', methodNotAllowed('GET', 'POST'))
  app.all('/:id', methodNotAllowed('GET', 'PUT', 'PATCH', 'DELETE'))

  return app
}
