/**
 * @module What every tenant-scoped admin route needs: the tenant (404 when unknown), its
 * region's database, the operator's envelope for writes through the tenant's Durable Object,
 * the SCIM URL to show, and cursor paging of lists.
 */
import type { Context } from 'hono'
import { z } from 'zod'
import { regionOfTenant, type Region } from '../../model/tenant'
import type { HonoTypes } from '../../env'
import { regionD1, regionDb, type Db } from '../../storage/db'
import { getTenant, type TenantRecord } from '../../storage/repos/tenants'
import { tenantWriter } from '../../tenant-do/client'
import { operatorEnvelope } from '../envelope'
import { publicOrigin, scimBaseUrl } from '../public-url'
import { AdminError } from './errors'

export interface TenantScope {
  /** With its status: `offboarding` while its data is being erased. */
  tenant: TenantRecord
  db: Db
  d1: D1Database
}

export async function tenantOr404(c: Context<HonoTypes>, id: string): Promise<TenantScope> {
  const region = regionOfTenant(id)
  const db = region ? regionDb(c.env, region) : undefined
  const tenant = db ? await getTenant(db, id) : undefined
  if (!tenant || !db || !region) throw new AdminError(404, `Tenant "${id}" not found`)
  return { tenant, db, d1: regionD1(c.env, region) }
}

/** The SCIM base URL an admin pastes into Entra ID or Okta for a tenant of this region. */
export const scimUrlFor = (c: Context<HonoTypes>, region: Region): string =>
  scimBaseUrl(publicOrigin(c.env, region, c.req.url))

/** The most items one admin list page holds, and how many when `limit` is not given. */
const MAX_PAGE_LIMIT = 1000
const DEFAULT_PAGE_LIMIT = 100

/**
 * What a list's cursor looks like. Cursors are the id of the last item of the previous page, so
 * each list knows their shape: a cursor of another shape can only be a mistake (a cursor of
 * another list, a truncated paste), and is refused rather than read as "after nothing".
 */
export interface CursorShape {
  /** How an admin would name it: "a user id". */
  what: string
  /** The cursor as the list queries with it, or undefined when `text` is not of this shape. */
  read: (text: string) => string | undefined
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Ids the service makes (users, groups, history, DNT entries, deletions): UUIDs, lowercase. */
const UUID_CURSOR: CursorShape = {
  what: 'an id of this list (a UUID)',
  read: (text) => (UUID.test(text.toLowerCase()) ? text.toLowerCase() : undefined),
}

/**
 * Agent ids are the agent backend's own strings, stored trimmed and at most 200 characters long
 * (the `id` of an agent report), so a cursor of the agent list is such a string.
 */
export const AGENT_ID_CURSOR: CursorShape = {
  what: 'an agent id',
  read: (text) => (text !== '' && text.length <= 200 && text.trim() === text ? text : undefined),
}

/** Fails the parameter with `message`; a repeated parameter (a list) is named as such. */
function refuse(v: unknown, ctx: z.RefinementCtx, message: (text: string) => string): never {
  ctx.addIssue({
    code: 'custom',
    message: typeof v === 'string' ? message(`"${v.slice(0, 80)}"`) : 'must be given once',
  })
  return z.NEVER
}

function readLimit(v: unknown, ctx: z.RefinementCtx): number {
  if (v === undefined) return DEFAULT_PAGE_LIMIT
  const n = typeof v === 'string' && /^\d{1,7}$/.test(v.trim()) ? Number(v) : 0
  if (n >= 1 && n <= MAX_PAGE_LIMIT) return n
  return refuse(
    v,
    ctx,
    (text) => `must be a whole number from 1 to ${String(MAX_PAGE_LIMIT)}, not ${text}`
  )
}

const readCursor =
  (shape: CursorShape) =>
  (v: unknown, ctx: z.RefinementCtx): string | undefined => {
    if (v === undefined) return undefined
    const cursor = typeof v === 'string' ? shape.read(v) : undefined
    if (cursor !== undefined) return cursor
    return refuse(
      v,
      ctx,
      (text) =>
        `${text} is not ${shape.what}; pass the nextCursor of the previous page, ` +
        'or no cursor for the first page'
    )
  }

const foreign = (name: string) =>
  z
    .undefined({
      error: `${name} is not supported: lists page with limit and cursor (the nextCursor of the previous page)`,
    })
    .optional()

/** Paging parameters of other APIs; silently ignoring them would always serve the first page. */
const FOREIGN_PAGING = {
  offset: foreign('offset'),
  page: foreign('page'),
  pageSize: foreign('pageSize'),
  per_page: foreign('per_page'),
  skip: foreign('skip'),
  startIndex: foreign('startIndex'),
}

/**
 * The paging query of an admin list: `limit` (1 to {@link MAX_PAGE_LIMIT}, default 100) and
 * `cursor` of the list's shape. Anything else that looks like paging is refused with 400, so a
 * mistake never silently serves the first page.
 */
export const pageQuery = (cursor: CursorShape) =>
  z.object({
    limit: z.unknown().optional().transform(readLimit),
    cursor: z.unknown().optional().transform(readCursor(cursor)),
    ...FOREIGN_PAGING,
  })

/** The paging query of a list of service-made ids ({@link UUID_CURSOR}). */
export const PageQuery = pageQuery(UUID_CURSOR)

/** A page of a list ordered by id, with the cursor of the next page when there may be one. */
export function page<T>(items: T[], limit: number, idOf: (item: T) => string) {
  const last = items.at(-1)
  return { items, nextCursor: items.length === limit && last !== undefined ? idOf(last) : null }
}

/** The tenant named by the path, the writer of its Durable Object and the operator's envelope. */
export async function operatorWriter(c: Context<HonoTypes>) {
  const { tenant } = await tenantOr404(c, c.req.param('id') ?? '')
  return {
    tenant,
    writer: tenantWriter(c.env, tenant.id),
    envelope: operatorEnvelope(c, tenant.id),
  }
}
