/**
 * HTTP clients for the bench: SCIM (tenant key) and admin (ADMIN_TOKEN). Every request has a
 * timeout, and an unexpected status throws an error that names the exact request and response,
 * so a service problem can be reported as-is. A request sends its own X-Request-Id, and the D1
 * round trips a bench Worker entry reports (`X-Bench-D1: worker=N;object=M`) go to `onTrips`.
 */
import type { z } from 'zod'
import { ADMIN_TOKEN, BASE, REQUEST_TIMEOUT_MS } from './config.ts'

/** The D1 round trips a bench Worker entry reports for one request. */
export interface Trips {
  worker: number
  object: number
}

/**
 * One request: method, path under the client's prefix, JSON body (undefined for none) and the
 * status expected; with a schema, the response body parsed by it (a mismatch throws).
 */
export interface Call {
  (method: string, path: string, body: unknown, expected: number): Promise<unknown>
  <T>(
    method: string,
    path: string,
    body: unknown,
    expected: number,
    schema: z.ZodType<T>
  ): Promise<T>
}

/** Where a client sends its requests, and who hears of their D1 round trips. */
export interface ClientOptions {
  base?: string
  onTrips?: (trips: Trips) => void
}

const clip = (s: string, max = 400): string => (s.length > max ? `${s.slice(0, max)}…` : s)
let sequence = 0

/** `worker=2;object=1` → { worker: 2, object: 1 }; undefined without the header. */
function parseTrips(header: string | null): Trips | undefined {
  if (!header) return undefined
  const trips = { worker: 0, object: 0 }
  for (const part of header.split(';')) {
    const [k, v] = part.split('=')
    if (k === 'worker' || k === 'object') trips[k] = Number(v)
  }
  return trips
}

async function send(
  method: string,
  url: string,
  { token, body, contentType }: { token: string; body: unknown; contentType: string }
): Promise<{ status: number; requestId: string | null; trips: Trips | undefined; text: string }> {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'X-Request-Id': `bench-${process.pid}-${++sequence}`,
      ...(body !== undefined ? { 'Content-Type': contentType } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return {
    status: res.status,
    requestId: res.headers.get('X-Request-Id'),
    trips: parseTrips(res.headers.get('X-Bench-D1')),
    text: await res.text(),
  }
}

function client(
  prefix: string,
  token: string,
  contentType: string,
  { base = BASE, onTrips }: ClientOptions = {}
): Call {
  async function call(
    method: string,
    path: string,
    body: unknown,
    expected: number
  ): Promise<unknown>
  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    expected: number,
    schema: z.ZodType<T>
  ): Promise<T>
  async function call(
    method: string,
    path: string,
    body: unknown,
    expected: number,
    schema?: z.ZodType
  ): Promise<unknown> {
    const url = `${base}${prefix}${path}`
    const res = await send(method, url, { token, body, contentType })
    if (res.trips && onTrips) onTrips(res.trips)
    if (res.status !== expected) {
      const sent = body !== undefined ? ` body ${clip(JSON.stringify(body), 300)}` : ''
      throw new Error(
        `${method} ${prefix}${path}${sent} -> expected ${expected}, got ${res.status}` +
          ` (X-Request-Id ${res.requestId}) ${clip(res.text)}`
      )
    }
    const json: unknown = res.text ? JSON.parse(res.text) : null
    if (!schema) return json
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      throw new Error(`${method} ${prefix}${path} -> unexpected body: ${parsed.error.message}`)
    }
    return parsed.data
  }
  return call
}

/**
 * Calls /scim/v2 with a tenant's SCIM key; `options.base` names another server than the
 * product's bench port, `options.onTrips` receives each response's D1 round trips.
 */
export const scimClient = (token: string, options?: ClientOptions): Call =>
  client('/scim/v2', token, 'application/scim+json', options)

/** Calls /admin/v1 with the bench's admin token. */
export const adminClient = (): Call => client('/admin/v1', ADMIN_TOKEN, 'application/json')

/** GET /health, the floor of the stack. */
export async function health(): Promise<void> {
  const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  const text = await res.text()
  if (!res.ok) throw new Error(`GET /health -> ${res.status} ${clip(text)}`)
}
