/**
 * @module What the minimal floor's Worker and object share: bindings, the stored row shape,
 * and how a row becomes a SCIM document (RFC 7643 §3.1 meta).
 */
import type { MinimalWriter } from './writer'

export interface MinimalEnv {
  DB: D1Database
  WRITER: DurableObjectNamespace<MinimalWriter>
  /** The one secret every bench tenant's token carries (`<tenantId>.<secret>`). */
  MIN_SECRET?: string
  BENCH_D1_LATENCY_MS?: string
}

export type Kind = 'Users' | 'Groups'

export interface Row {
  id: string
  data: string
  version: number
  created_at: string
  updated_at: string
}

/** A member or group reference of a resource: its owner's id, the referenced id, a display. */
export interface RelationRow {
  owner: string
  value: string
  display: string | null
}

/** What the object answers for a write: a status and the stored row, or an error detail. */
export interface Answer {
  status: number
  row?: Row
  detail?: string
}

export const TABLE: Record<Kind, string> = { Users: 'users', Groups: 'groups' }
const RESOURCE_TYPE: Record<Kind, string> = { Users: 'User', Groups: 'Group' }
export const ROW_COLUMNS = 'id, data, version, created_at, updated_at'

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text)
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/** The SCIM document of a row, with its relation (a user's groups, a group's members). */
export function toDocument(
  kind: Kind,
  row: Row,
  base: string,
  relation: RelationRow[] | undefined
): Record<string, unknown> {
  const refs = relation?.map((r) => ({
    value: r.value,
    ...(r.display ? { display: r.display } : {}),
  }))
  return {
    ...parseObject(row.data),
    id: row.id,
    ...(refs ? { [kind === 'Users' ? 'groups' : 'members']: refs } : {}),
    meta: {
      resourceType: RESOURCE_TYPE[kind],
      created: row.created_at,
      lastModified: row.updated_at,
      version: `W/"${String(row.version)}"`,
      location: `${base}/${kind}/${row.id}`,
    },
  }
}

export const scimJson = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/scim+json', ...headers },
  })

export const scimError = (status: number, detail: string) =>
  scimJson({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status, detail }, status)
