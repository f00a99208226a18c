/**
 * Helpers for integration tests: every call goes through the Worker's fetch, as a client's would.
 */
import { exports } from 'cloudflare:workers'

export const ORIGIN = 'https://scim.test'
export const ADMIN_TOKEN = 'test-admin-token'
export const SCIM_MEDIA = 'application/scim+json'

export interface TestTenant {
  id: string
  token: string
  keyId: string
}

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, init)
}

export function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return call(`/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** How a tenant's roles work; by default `group-roles` with the default role "Content Creator". */
export interface RoleSetup {
  roleMode?: 'group-roles' | 'groups-as-roles'
  defaultRoleName?: string
}

export async function createTenant(
  region: 'us' | 'eu' = 'us',
  name = 'Acme',
  roles: RoleSetup = {}
): Promise<TestTenant> {
  const t = await admin('POST', '/tenants', { name, region, ...roles })
  if (t.status !== 201)
    throw new Error(`tenant create failed: ${String(t.status)} ${await t.text()}`)
  const tenant = await t.json<{ id: string }>()
  const k = await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'entra' })
  if (k.status !== 201) throw new Error(`key create failed: ${String(k.status)} ${await k.text()}`)
  const key = await k.json<{ id: string; token: string }>()
  return { id: tenant.id, token: key.token, keyId: key.id }
}

/** A SCIM client bound to one tenant's key. */
export function scimClient(tenant: TestTenant, base = '/scim/v2') {
  const request = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ) =>
    call(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${tenant.token}`,
        ...(body === undefined ? {} : { 'Content-Type': SCIM_MEDIA }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
  return {
    request,
    get: (path: string, headers?: Record<string, string>) =>
      request('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      request('POST', path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) =>
      request('PUT', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) =>
      request('PATCH', path, body, headers),
    del: (path: string, headers?: Record<string, string>) =>
      request('DELETE', path, undefined, headers),
  }
}

export type ScimClient = ReturnType<typeof scimClient>

/** The tenant with its key's secret altered in its last characters: same key id, wrong secret. */
export const withWrongSecret = (t: TestTenant): TestTenant => ({
  ...t,
  token: `${t.token.slice(0, -4)}${t.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
})

export const patchOp = (...operations: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: operations,
})

/** The fields of SCIM bodies that tests read; everything else is checked with toMatchObject. */
export interface ScimBody {
  id: string
  schemas: string[]
  userName?: string
  displayName?: string
  active?: boolean
  externalId?: string
  status?: string
  scimType?: string
  detail?: string
  totalResults: number
  itemsPerPage?: number
  startIndex?: number
  nextCursor?: string
  Resources: ScimBody[]
  members?: { value: string; display?: string }[]
  groups?: { value: string; display?: string }[]
  emails?: { value: string; type?: string; primary?: boolean }[]
  meta: {
    resourceType: string
    created: string
    lastModified: string
    location: string
    version: string
  }
  [key: string]: unknown
}

export async function json(res: Response): Promise<ScimBody> {
  return await res.json<ScimBody>()
}
