/**
 * @module Discovery endpoints (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas,
 * describing exactly what this service implements.
 */
import { Hono } from 'hono'
import {
  CURSOR_TIMEOUT_SECONDS,
  DEFAULT_PAGE_SIZE,
  MAX_PAYLOAD_BYTES,
  loadConfig,
} from '../../config'
import type { HonoTypes } from '../../env'
import { notFound } from '../../scim/errors'
import { ALL_SCHEMAS, GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../scim/schemas'
import {
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from '../../scim/schemas/discovery'
import { LIST_RESPONSE_SCHEMA } from '../../scim/constants'
import { methodNotAllowed, scimJson } from './respond'

const RESOURCE_TYPES = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]

const listOf = (items: unknown[]) => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: items.length,
  itemsPerPage: items.length,
  startIndex: 1,
  Resources: items,
})

export const discovery = new Hono<HonoTypes>()

/** RFC 7644 §4: the discovery endpoints are read-only. */
const readOnly = methodNotAllowed('GET')

discovery.get('/ServiceProviderConfig', (c) => {
  const config = loadConfig(c.env)
  return scimJson(
    c,
    serviceProviderConfig({
      baseUrl: c.var.scimBase,
      maxResults: config.maxPageSize,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, config.maxPageSize),
      maxPageSize: config.maxPageSize,
      cursorTimeoutSeconds: CURSOR_TIMEOUT_SECONDS,
    })
  )
})

discovery.get('/ResourceTypes', (c) =>
  scimJson(c, listOf(RESOURCE_TYPES.map((rt) => resourceTypeResource(rt, c.var.scimBase))))
)

discovery.get('/ResourceTypes/:name', (c) => {
  const rt = RESOURCE_TYPES.find((r) => r.name.toLowerCase() === c.req.param('name').toLowerCase())
  if (!rt) throw notFound(`ResourceType "${c.req.param('name')}" not found`)
  return scimJson(c, resourceTypeResource(rt, c.var.scimBase))
})

discovery.get('/Schemas', (c) =>
  scimJson(c, listOf(ALL_SCHEMAS.map((s) => schemaResource(s, c.var.scimBase))))
)

discovery.get('/Schemas/:id', (c) => {
  const id = c.req.param('id').toLowerCase()
  const schema = ALL_SCHEMAS.find((s) => s.id.toLowerCase() === id)
  if (!schema) throw notFound(`Schema "${c.req.param('id')}" not found`)
  return scimJson(c, schemaResource(schema, c.var.scimBase))
})

for (const path of [
  '/ServiceProviderConfig',
  '/ResourceTypes',
  '/ResourceTypes/:name',
  '/Schemas',
  '/Schemas/:id',
]) {
  discovery.all(path, readOnly)
}
