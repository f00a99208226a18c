/**
 * @module The fake Microsoft identity platform's admin consent for multi-tenant applications (the
 * operator's app that customers grant with "Connect to Microsoft Entra ID"), as the v2.0 endpoint
 * answers it:
 * - `GET /{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state` (`tenant` is
 *   `organizations`, `common` or a directory id). For a registered app and one of its redirect
 *   URIs it answers 302 to `redirect_uri?admin_consent=True&tenant=<directory id>&scope=…&state=…`,
 *   or, when the admin declines, `redirect_uri?admin_consent=True&error=access_denied&
 *   error_description=AADSTS65004…&state=…`. A missing or unknown client_id, or a redirect URI the
 *   app does not list, is an AADSTS error page and never a redirect: Microsoft sends answers to
 *   registered redirect URIs only. Errors about the other parameters go to the redirect URI
 *   (RFC 6749 §4.1.2.1).
 * - The fake has no sign-in page: who answers the prompt (an admin of which directory, or a
 *   refusal) is set beforehand with the control API. A consent lets the app get tokens in that
 *   directory (token.ts); its Graph permissions are the directory's (the fixture's `permissions`).
 */
import { z } from 'zod'
import { nextGuid, nowMs, type Consenter, type FakeState, type MultiTenantApp } from './state.ts'
import { tokenTimestamp } from './wire.ts'

/** What registering an app takes (control API body and in-process helper). */
export const appRegistrationSchema = z.strictObject({
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
})
export type AppRegistration = z.infer<typeof appRegistrationSchema>

/** Who answers the next prompts: an admin of a directory, or a refusal (default access_denied). */
export const consenterSchema = z.union([
  z.strictObject({ directoryId: z.string().min(1) }),
  z.strictObject({
    decline: z.literal(true),
    error: z.string().min(1).optional(),
    errorDescription: z.string().min(1).optional(),
  }),
])
export type ConsenterInput = z.infer<typeof consenterSchema>

const DECLINED = 'The resource owner or authorization server denied the request.'

/**
 * Registers (or updates) a multi-tenant app. Consents already given stay: they live in the
 * customers' directories, not in the registration.
 */
export function registerApp(
  state: FakeState,
  clientId: string,
  registration: AppRegistration
): MultiTenantApp {
  const existing = state.apps.get(clientId)
  const app: MultiTenantApp = {
    clientId,
    ...registration,
    consentedIn: existing?.consentedIn ?? new Set(),
    consenter: existing?.consenter ?? null,
  }
  state.apps.set(clientId, app)
  return app
}

/** Sets who answers the app's next consent prompts; throws naming an unknown app or directory. */
export function setConsenter(state: FakeState, clientId: string, input: ConsenterInput): void {
  const app = state.apps.get(clientId)
  if (app === undefined) throw new Error(`The fake has no application ${clientId}`)
  if ('directoryId' in input) {
    if (!state.entries.has(input.directoryId))
      throw new Error(`The fake Graph has no directory ${input.directoryId}`)
    app.consenter = { kind: 'consent', directoryId: input.directoryId }
    return
  }
  app.consenter = {
    kind: 'decline',
    error: input.error ?? 'access_denied',
    description: input.errorDescription ?? DECLINED,
  }
}

/** The app as the control API shows it (never its secret). */
export const appView = (app: MultiTenantApp) => ({
  clientId: app.clientId,
  redirectUris: app.redirectUris,
  consentedIn: [...app.consentedIn],
  consenter: app.consenter,
})

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => `&#${String(ch.charCodeAt(0))};`)

/** The AADSTS text with the trace lines Microsoft appends to it. */
function aadsts(state: FakeState, code: number, message: string): string {
  const trace = nextGuid(state, '7ace')
  const correlation = nextGuid(state, 'c0e1')
  const at = tokenTimestamp(nowMs(state))
  return `AADSTS${String(code)}: ${message}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${at}`
}

/** The sign-in error page shown when there is nowhere safe to send the answer. */
function errorPage(state: FakeState, code: number, message: string): Response {
  const lines = aadsts(state, code, message).split('\r\n').map(escapeHtml)
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head><body><h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p><p>${lines.join('<br>')}</p></body></html>`
  return new Response(html, {
    status: 400,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  })
}

/** A 302 to the redirect URI with the answer's parameters in its query. */
function answer(redirectUri: string, params: [string, string | null][]): Response {
  const url = new URL(redirectUri)
  for (const [name, value] of params) if (value !== null) url.searchParams.append(name, value)
  return new Response(null, { status: 302, headers: { Location: url.toString() } })
}

const isGeneric = (tenant: string): boolean => tenant === 'organizations' || tenant === 'common'

/** The directory whose admin answers, a refusal, or the error page when there is none. */
function consenterFor(state: FakeState, app: MultiTenantApp, tenant: string): Consenter | Response {
  if (app.consenter?.kind === 'decline') return app.consenter
  if (!isGeneric(tenant)) {
    if (!state.entries.has(tenant)) return errorPage(state, 90002, `Tenant '${tenant}' not found.`)
    return { kind: 'consent', directoryId: tenant }
  }
  if (app.consenter === null)
    return errorPage(
      state,
      50058,
      `No administrator is signed in to the fake: choose one with PUT /_fake/apps/${app.clientId}/consenter.`
    )
  return app.consenter
}

/** The app and redirect URI of a request, or the error page that refuses it. */
function checkClient(state: FakeState, query: URLSearchParams, tenant: string) {
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

/** Answers `GET /{tenant}/v2.0/adminconsent`. */
export function adminConsentResponse(state: FakeState, tenant: string, url: URL): Response {
  const query = url.searchParams
  const client = checkClient(state, query, tenant)
  if (client instanceof Response) return client
  const { app, redirectUri } = client
  const returned = query.get('state')
  const scope = query.get('scope') ?? ''
  if (scope.trim() === '') {
    const description = aadsts(
      state,
      900144,
      "The request body must contain the following parameter: 'scope'."
    )
    return answer(redirectUri, [
      ['error', 'invalid_request'],
      ['error_description', description],
      ['state', returned],
    ])
  }
  const who = consenterFor(state, app, tenant)
  if (who instanceof Response) return who
  if (who.kind === 'decline')
    return answer(redirectUri, [
      ['admin_consent', 'True'],
      ['error', who.error],
      ['error_description', aadsts(state, 65004, who.description)],
      ['state', returned],
    ])
  app.consentedIn.add(who.directoryId)
  return answer(redirectUri, [
    ['admin_consent', 'True'],
    ['tenant', who.directoryId],
    ['scope', scope],
    ['state', returned],
  ])
}
