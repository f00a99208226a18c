/**
 * HTTP clients for the bench: SCIM (tenant key) and admin (ADMIN_TOKEN). Every request has a
 * timeout, and an unexpected status throws an error that names the exact request and response,
 * so a service problem can be reported as-is.
 */
import { ADMIN_TOKEN, BASE, REQUEST_TIMEOUT_MS } from './config.mjs'

const clip = (s, max = 400) => (s.length > max ? `${s.slice(0, max)}…` : s)

async function send(method, url, { token, body, contentType }) {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'Content-Type': contentType } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return { status: res.status, requestId: res.headers.get('X-Request-Id'), text: await res.text() }
}

function client(prefix, token, contentType) {
  return async (method, path, body, expected) => {
    const url = `${BASE}${prefix}${path}`
    const res = await send(method, url, { token, body, contentType })
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

/** Calls /scim/v2 with a tenant's SCIM key. */
export const scimClient = (token) => client('/scim/v2', token, 'application/scim+json')

/** Calls /admin/v1 with the bench's admin token. */
export const adminClient = () => client('/admin/v1', ADMIN_TOKEN, 'application/json')

/** GET /health, the floor of the stack. */
export async function health() {
  const res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  const text = await res.text()
  if (!res.ok) throw new Error(`GET /health -> ${res.status} ${clip(text)}`)
}
