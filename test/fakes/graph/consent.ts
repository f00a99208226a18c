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
 *   The same admin stays signed in for the app's OpenID Connect sign-ins (signin.ts): their
 *   directory, username and directory roles (`wids`, Global Administrator unless told otherwise)
 *   are what its ID tokens say; after a refusal nobody is signed in.
 */
import { z } from 'zod'
import { aadsts, answer, checkClient, errorPage, isGeneric } from './login.ts'
import {
  nextGuid,
  type Consenter,
  type FakeState,
  type MultiTenantApp,
  type SignedInAdmin,
} from './state.ts'

/** What registering an app takes (control API body and in-process helper). */
export const appRegistrationSchema = z.strictObject({
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
})
export type AppRegistration = z.infer<typeof appRegistrationSchema>

/** The role template id of Global Administrator, the roles a signed-in admin has by default. */
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10'

/**
 * Who answers the next prompts: an admin of a directory, or a refusal (default access_denied).
 * The admin's `wids` are role template ids (null: the ID token carries none, as when the app is
 * not set to emit directory roles); `requiresInteraction` makes a silent sign-in answer
 * interaction_required; `idTokenClaims` replace claims of the ID tokens issued to them.
 */
export const consenterSchema = z.union([
  z.strictObject({
    directoryId: z.string().min(1),
    preferredUsername: z.string().min(1).optional(),
    wids: z.array(z.string()).nullable().optional(),
    requiresInteraction: z.boolean().optional(),
    idTokenClaims: z.record(z.string(), z.unknown()).optional(),
  }),
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
    signedIn: existing?.signedIn ?? null,
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
    app.signedIn = signedInAdmin(state, input)
    return
  }
  app.signedIn = null
  app.consenter = {
    kind: 'decline',
    error: input.error ?? 'access_denied',
    description: input.errorDescription ?? DECLINED,
  }
}

function signedInAdmin(
  state: FakeState,
  input: Extract<ConsenterInput, { directoryId: string }>
): SignedInAdmin {
  return {
    directoryId: input.directoryId,
    oid: nextGuid(state, 'ad111'),
    preferredUsername: input.preferredUsername ?? `admin@${input.directoryId.slice(0, 8)}.example`,
    wids: input.wids === undefined ? [GLOBAL_ADMINISTRATOR] : input.wids,
    requiresInteraction: input.requiresInteraction ?? false,
    claimOverrides: input.idTokenClaims ?? {},
  }
}

/** The app as the control API shows it (never its secret). */
export const appView = (app: MultiTenantApp) => ({
  clientId: app.clientId,
  redirectUris: app.redirectUris,
  consentedIn: [...app.consentedIn],
  consenter: app.consenter,
  signedIn: app.signedIn,
})

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
