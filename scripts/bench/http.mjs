/**
 * HTTP clients for the bench: SCIM (tenant key) and admin (ADMIN_TOKEN). Every request has a
 * timeout, and an unexpected status throws an error that names the exact request and response,
 * so a service problem can be reported as-is. A request sends its own X-Request-Id, and the D1
 * round trips a bench Worker entry reports (`X-Bench-D1: worker=N;object=M`) go to `onTrips`.
 */
import { ADMIN_TOKEN, BASE, REQUEST_TIMEOUT_MS } from './config.mjs'

const clip = (s, max = 400) => (s.length > max ? `${s.slice(0, max)}…` : s)
let sequence = 0

/** `worker=2;object=1` → { worker: 2, object: 1 }; undefined without the header. */
export function parseTrips(header) {
  if (!header) return undefined
  const trips = { worker: 0, object: 0 }
  for (const part of header.split(';')) {
    const [k, v] = part.split('=')
    if (k === 'worker' || k === 'object') trips[k] = Number(v)
  }
  return trips
}

async function send(method, url, { token, body, contentType }) {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'X-Request-Id': `bench-${process.pid}-${++sequence}`,
      ...(body !== undefined ? { 'Content-Type': contentType } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return {
    status: res.status,
    requestId: res.headers.get('X-Request-Id'),
    trips: parseTrips(res.headers.get('X-Bench-D1')),
    text: await res.text(),
  }
}

function client(prefix, token, contentType, { base = BASE, onTrips } = {}) {
  return async (method, path, body, expected) => {
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
    return res.text ? JSON.parse(res.text) : null
  }
}

/**
 * Calls /scim/v2 with a tenant's SCIM key; `options.base` names another server than the
 * product's bench port, `options.onTrips` receives each response's D1 round trips.
 */
export const scimClient = (token, options) =>
  client('/scim/v2', token, 'application/scim+json', options)

/** Calls /admin/v1 with the bench's admin token. */
export const adminClient = () => client('/admin/v1', ADMIN_TOKEN, 'application/json')

/** GET /health, the floor of the stack. */
export async function health() {
  const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  const text = await res.text()
  if (!res.ok) throw new Error(`GET /health -> ${res.status} ${clip(text)}`)
}
