/**
 * @module What the fake identity platform's browser-facing endpoints (admin consent in
 * consent.ts, sign-in in signin.ts) share: the AADSTS text with the trace lines Microsoft appends,
 * the sign-in error page shown when there is nowhere safe to send an answer, the 302 that carries
 * an answer to the redirect URI (RFC 6749 §4.1.2), and the client and redirect URI check that
 * decides between the two.
 */
import { nextGuid, nowMs, type FakeState, type MultiTenantApp } from './state.ts'
import { tokenTimestamp } from './wire.ts'

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => `&#${String(ch.charCodeAt(0))};`)

/** The AADSTS text with the trace lines Microsoft appends to it. */
export function aadsts(state: FakeState, code: number, message: string): string {
  const trace = nextGuid(state, '7ace')
  const correlation = nextGuid(state, 'c0e1')
  const at = tokenTimestamp(nowMs(state))
  return `AADSTS${String(code)}: ${message}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${at}`
}

/** The sign-in error page shown when there is nowhere safe to send the answer. */
export function errorPage(state: FakeState, code: number, message: string): Response {
  const lines = aadsts(state, code, message).split('\r\n').map(escapeHtml)
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head><body><h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p><p>${lines.join('<br>')}</p></body></html>`
  return new Response(html, {
    status: 400,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  })
}

/** A 302 to the redirect URI with the answer's parameters in its query (null ones left out). */
export function answer(redirectUri: string, params: [string, string | null][]): Response {
  const url = new URL(redirectUri)
  for (const [name, value] of params) if (value !== null) url.searchParams.append(name, value)
  return new Response(null, { status: 302, headers: { Location: url.toString() } })
}

/** Whether a `{tenant}` path segment names no directory of its own. */
export const isGeneric = (tenant: string): boolean =>
  tenant === 'organizations' || tenant === 'common'

/** The app and redirect URI of a request, or the error page that refuses it. */
export function checkClient(
  state: FakeState,
  query: URLSearchParams,
  tenant: string
): { app: MultiTenantApp; redirectUri: string } | Response {
  const clientId = query.get('client_id') ?? ''
  if (clientId === '')
    return errorPage(
      state,
      900144,
      "The request body must contain the following parameter: 'client_id'."
    )
  const app = state.apps.get(clientId)
  if (app === undefined)
    return errorPage(
      state,
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
    )
  const redirectUri = query.get('redirect_uri') ?? ''
  if (!app.redirectUris.includes(redirectUri))
    return errorPage(
      state,
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`
    )
  return { app, redirectUri }
}
