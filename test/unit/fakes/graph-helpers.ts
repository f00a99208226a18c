/**
 * @module Helpers for the fake Graph tests: the Contoso fixture, its object ids, token and Graph
 * requests through `fake.fetch`, and the JSON shapes the tests read.
 */
import { readFileSync } from 'node:fs'
import { URL } from 'node:url'
import { createFakeGraph, type FakeGraph, type FakeGraphOptions } from '../../fakes/graph/app.ts'

export const CONTOSO_ID = '11111111-1111-4111-8111-111111111111'
export const CONTOSO_CLIENT_ID = '22222222-2222-4222-8222-222222222222'
export const CONTOSO_SECRET = 'Contoso~FakeGraphSecret.0123456789'
const GRAPH = 'https://graph.microsoft.com'
export const LOGIN = 'https://login.microsoftonline.com'

/** The Contoso fixture as parsed JSON (validated by the fake when loaded). */
export const CONTOSO: unknown = JSON.parse(
  readFileSync(new URL('../../fakes/graph/fixtures/contoso.json', import.meta.url), 'utf8')
)

const two = (n: number): string => String(n).padStart(2, '0')
/** Contoso ids: users 1..17 (16, 17 guests), groups 1..16, devices 1..2. */
export const userId = (n: number): string => `10000000-0000-4000-a000-0000000000${two(n)}`
export const groupId = (n: number): string => `20000000-0000-4000-a000-0000000000${two(n)}`
export const deviceId = (n: number): string => `30000000-0000-4000-a000-0000000000${two(n)}`

export const GROUPS_PARENT = groupId(1)

/** A fake with Contoso loaded. */
export function contosoFake(options: FakeGraphOptions = {}): FakeGraph {
  const fake = createFakeGraph(options)
  fake.load(CONTOSO_ID, CONTOSO)
  return fake
}

export function requestToken(
  fake: FakeGraph,
  directoryId = CONTOSO_ID,
  overrides: Record<string, string | undefined> = {}
): Promise<Response> {
  const fields: Record<string, string | undefined> = {
    client_id: CONTOSO_CLIENT_ID,
    client_secret: CONTOSO_SECRET,
    scope: 'https://graph.microsoft.com/.default',
    grant_type: 'client_credentials',
    ...overrides,
  }
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value)
  return fake.fetch(
    new Request(`${LOGIN}/${directoryId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
  )
}

export interface TokenBody {
  token_type?: string
  expires_in?: number
  ext_expires_in?: number
  access_token?: string
  error?: string
  error_description?: string
  error_codes?: number[]
  timestamp?: string
  trace_id?: string
  correlation_id?: string
}

export async function tokenOf(fake: FakeGraph, directoryId = CONTOSO_ID): Promise<string> {
  const body = await (await requestToken(fake, directoryId)).json<TokenBody>()
  if (body.access_token === undefined) throw new Error(`no token: ${JSON.stringify(body)}`)
  return body.access_token
}

export const EVENTUAL = { ConsistencyLevel: 'eventual' }

/** GET a Graph path ("/v1.0/…") or absolute URL (a nextLink) with a bearer token. */
export function graphGet(
  fake: FakeGraph,
  token: string | undefined,
  pathOrUrl: string,
  headers: Record<string, string> = {}
): Promise<Response> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${GRAPH}${pathOrUrl}`
  const auth: Record<string, string> =
    token === undefined ? {} : { Authorization: `Bearer ${token}` }
  return fake.fetch(new Request(url, { headers: { ...auth, ...headers } }))
}

export interface GraphBody {
  '@odata.context'?: string
  '@odata.count'?: number
  '@odata.nextLink'?: string
  value?: Array<Record<string, unknown>>
  error?: {
    code: string
    message: string
    innerError?: { date?: string; 'request-id'?: string; 'client-request-id'?: string }
  }
  [property: string]: unknown
}

export const bodyOf = async (response: Response): Promise<GraphBody> =>
  await response.json<GraphBody>()

/** Follows nextLinks from `path` and returns every page's body. */
export async function allPages(
  fake: FakeGraph,
  token: string,
  path: string,
  headers: Record<string, string> = {}
): Promise<GraphBody[]> {
  const pages: GraphBody[] = []
  for (let next: string | undefined = path; next !== undefined;) {
    const page = await bodyOf(await graphGet(fake, token, next, headers))
    pages.push(page)
    next = page['@odata.nextLink']
  }
  return pages
}

/** The ids of every item of the pages, in order. */
export const ids = (pages: readonly GraphBody[]): unknown[] =>
  pages.flatMap((p) => (p.value ?? []).map((v) => v['id']))
