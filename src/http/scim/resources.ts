/**
 * @module The SCIM resource endpoints (RFC 7644 §3.2-3.6), one router factory shared by Users
 * and Groups: reads go straight to D1, writes go through the tenant's Durable Object.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { DEFAULT_PAGE_SIZE, loadConfig } from '../../config'
import { etagMatches, etagOf, type StoredResource } from '../../domain/resource'
import type { AppEnv } from '../../env'
import { notFound } from '../../scim/errors'
import { parseAttributeList, serializeResource } from '../../scim/serialize'
import { regionD1, regionDb, type Db } from '../../storage/db'
import { writeThroughTenant } from '../../tenant-do/client'
import type { Envelope, WriteCommand } from '../../tenant-do/commands'
import { listResources, listResponse } from './list'
import { ListQuerySchema, SearchRequestSchema, type ListParams } from './query'
import { methodNotAllowed, scimJson } from './respond'
import type { ResourceKind, Projection } from './resource-kind'
import { scimValidator } from './validate'

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

export function resourceRouter(kind: ResourceKind): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const db = (c: Context<AppEnv>): Db => regionDb(c.env, c.var.caller.region)

  const render = async (c: Context<AppEnv>, items: StoredResource[], projection: Projection) => {
    const extras = await kind.extras(db(c), c.var.caller.tenantId, items, projection)
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

  const respondOne = async (c: Context<AppEnv>, r: StoredResource, status: 200 | 201) => {
    const [body] = await render(c, [r], projectionOf(c.req.query()))
    const headers: Record<string, string> = { ETag: etagOf(r.version) }
    if (status === 201) headers.Location = `${c.var.scimBase}${kind.endpoint}/${r.id}`
    return scimJson(c, body, status, headers)
  }

  const list = async (c: Context<AppEnv>, params: ListParams) => {
    const config = loadConfig(c.env)
    const page = await listResources(params, {
      tenantId: c.var.caller.tenantId,
      d1: regionD1(c.env, c.var.caller.region),
      table: kind.table,
      resolve: kind.resolve,
      defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, config.maxPageSize),
      maxPageSize: config.maxPageSize,
    })
    return scimJson(c, listResponse(page, await render(c, page.resources, projectionOf(params))))
  }

  const write = (c: Context<AppEnv>, command: WriteCommand) =>
    writeThroughTenant(c.env, scimEnvelope(c), command)

  const ifMatch = (c: Context<AppEnv>) => {
    const h = c.req.header('If-Match')
    return h === undefined ? {} : { ifMatch: h }
  }

  app.get('/', scimValidator('query', ListQuerySchema), (c) => list(c, c.req.valid('query')))

  app.post('/.search', scimValidator('json', SearchRequestSchema, 'invalidSyntax'), (c) =>
    list(c, c.req.valid('json'))
  )
  // Before '/:id', which would otherwise read GET /Users/.search as a lookup of id ".search".
  app.all('/.search', methodNotAllowed('POST'))

  app.get('/:id', scimValidator('query', ProjectionSchema), async (c) => {
    const r = await kind.get(db(c), c.var.caller.tenantId, c.req.param('id'))
    if (!r) throw notFound(`${kind.name} "${c.req.param('id')}" not found`)
    const inm = c.req.header('If-None-Match')
    if (inm !== undefined && etagMatches(inm, r.version)) {
      return c.body(null, 304, { ETag: etagOf(r.version) })
    }
    return respondOne(c, r, 200)
  })

  app.post('/', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const r = await write(c, { op: kind.ops.create, body: c.req.valid('json') })
    return respondOne(c, must(r), 201)
  })

  app.put('/:id', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const r = await write(c, {
      op: kind.ops.replace,
      id: c.req.param('id'),
      body: c.req.valid('json'),
      ...ifMatch(c),
    })
    return respondOne(c, must(r), 200)
  })

  app.patch('/:id', scimValidator('json', BodySchema, 'invalidSyntax'), async (c) => {
    const r = must(
      await write(c, {
        op: kind.ops.patch,
        id: c.req.param('id'),
        body: c.req.valid('json'),
        ...ifMatch(c),
      })
    )
    // Entra expects 204 for group PATCH (a full member list back is discouraged).
    if (kind.patchStatus === 204) return c.body(null, 204, { ETag: etagOf(r.version) })
    return respondOne(c, r, 200)
  })

  app.delete('/:id', async (c) => {
    await write(c, { op: kind.ops.delete, id: c.req.param('id'), ...ifMatch(c) })
    return c.body(null, 204)
  })

  // RFC 7644 §3.2: the collection is listed and created into; a resource read, replaced, patched
  // and deleted. Any other method answers 405.
  app.all('/', methodNotAllowed('GET', 'POST'))
  app.all('/:id', methodNotAllowed('GET', 'PUT', 'PATCH', 'DELETE'))

  return app
}

/** A SCIM write is made by the caller's key (and its instance), under the request's id. */
export const scimEnvelope = (c: Context<AppEnv>): Envelope => ({
  tenantId: c.var.caller.tenantId,
  requestId: c.var.requestId,
  actor: { kind: 'scim', instanceId: c.var.caller.instanceId, keyId: c.var.caller.keyId },
})

function must(r: StoredResource | null): StoredResource {
  if (!r) throw new Error('write returned no resource')
  return r
}
