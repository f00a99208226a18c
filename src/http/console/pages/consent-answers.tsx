/**
 * @module The answers the identity platform sends back to the console's consent callback while
 * an admin connects a directory sync to Microsoft Entra ID (pages/consent.tsx starts it):
 * 1. the admin consent answer: its state is checked (this session, this instance, minutes old),
 *    and the directory it names (`tenant`) is NOT trusted, because it comes through the browser
 *    and could be swapped for another customer's directory that consented to the same app. It
 *    only says which directory to prove: the admin is sent on to an OpenID Connect sign-in
 *    against it, with a state that binds that directory to the consent request's nonce, expiry,
 *    instance and session;
 * 2. the sign-in answer: its state is checked the same way, its code redeemed server-to-server,
 *    and the ID token must show an administrator of that very directory (consent-id-token.ts).
 *    Only then does the tenant's object store the directory, accepting the nonce once.
 * A refusal at either step shows what Microsoft said, or why the answer was refused, and changes
 * nothing.
 */
import { z } from 'zod'
import { loadConfig } from '../../../config'
import { consentDirectorySchema, type InstanceView } from '../../../domain/instances'
import { unwrap } from '../../../tenant-do/client'
import { publicOrigin } from '../../public-url'
import * as ui from '../components'
import { checkConsentIdToken } from '../consent-id-token'
import { redeemSignInCode, signInUrl, SILENT_FAILURES, type SignInClient } from '../consent-signin'
import {
  readConsentState,
  readSignInState,
  signSignInState,
  type ConsentBinding,
  type SignInState,
} from '../consent-state'
import { adminEnvelope, type ConsoleContext, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { Page } from '../layout'
import { cookieSecret } from '../session'
import { STATE_REFUSED, idTokenRefused, redemptionRefused } from './consent-messages'
import { instanceById } from './instance-scope'

/** The callback's path, the redirect URI to register (per region) on the operator's app. */
const CONSENT_CALLBACK_PATH = '/console/integrations/consent/callback'

export const connectPath = (instanceId: string): string =>
  `/console/integrations/${instanceId}/connect`

/** What the state is bound to in this request: the cookie secret, tenant and session. */
export const bindingOf = (c: ConsoleContext): ConsentBinding => ({
  secret: cookieSecret(c),
  tenantId: c.var.session.tenant.id,
  sessionIdHash: c.var.session.idHash,
})

/** The redirect URI of this region: where every answer comes back. */
export const callbackUrl = (c: ConsoleContext): string =>
  `${publicOrigin(c.env, c.var.session.tenant.region, c.req.url)}${CONSENT_CALLBACK_PATH}`

/** The consent instance a URL or state names, in the session's tenant (404 otherwise). */
export async function consentInstance(c: ConsoleContext, id: string): Promise<InstanceView> {
  const instance = await instanceById(c, id)
  if (instance.settings?.auth !== 'consent')
    throw new ConsolePageError(
      400,
      `"${instance.name}" uses your own app registration: change its credentials in its settings instead.`
    )
  return instance
}

/** The operator's app, or the 503 page naming the setting it lacks. */
export function operatorOrFail(c: ConsoleContext): { clientId: string; clientSecret: string } {
  const operator = loadConfig(c.env).operatorApp
  if ('missing' in operator)
    throw new ConsolePageError(
      503,
      `Connecting to Microsoft Entra ID is not available: the service's setting ${operator.missing} is not set. Contact support.`
    )
  return operator
}

/** The identity platform's answers (admin consent, then sign-in): bounded, every part optional. */
export const answerSchema = z.object({
  state: z.string().max(512).optional(),
  tenant: z.string().max(256).optional(),
  admin_consent: z.string().max(16).optional(),
  code: z.string().max(8192).optional(),
  session_state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
  scope: z.string().max(4096).optional(),
})
export type Answer = z.infer<typeof answerSchema>

/** The page of a refused consent or sign-in: what Microsoft said, and the instance still waiting. */
function DeclinedPage(props: {
  c: ConsoleContext
  instance: InstanceView
  title: string
  error: string
  description: string
}) {
  const { c, instance } = props
  const [first, ...trace] = props.description.split(/\r?\n/)
  return (
    <Page title={props.title} session={c.var.session} current="/console/integrations">
      <ui.PageHead
        title={props.title}
        lede={`${instance.name} is not connected by this attempt: nothing was changed.`}
      />
      <ui.Notice tone="bad">
        Microsoft Entra ID answered "{props.error}": {first || 'no description given'}
      </ui.Notice>
      {trace.length > 0 && <p class="muted mono">{trace.join(' · ')}</p>}
      <p class="row">
        <a class="button primary" href={connectPath(instance.id)}>
          Try again
        </a>
        <a class="button" href={`/console/integrations/${instance.id}`}>
          Back to the instance
        </a>
      </p>
    </Page>
  )
}

const declined = (c: ConsoleContext, instance: InstanceView, title: string, answer: Answer) =>
  c.html(
    <DeclinedPage
      c={c}
      instance={instance}
      title={title}
      error={answer.error ?? ''}
      description={answer.error_description ?? ''}
    />
  )

/** Where the sign-in requests of this console go. */
function signInClient(c: ConsoleContext, clientId: string): SignInClient {
  return {
    loginBaseUrl: loadConfig(c.env).graphTokenUrl,
    clientId,
    redirectUri: callbackUrl(c),
  }
}

/** A redirect to the sign-in that proves `signIn.directoryId`, with its own state. */
async function toSignIn(c: ConsoleContext, signIn: SignInState): Promise<Response> {
  const { clientId } = operatorOrFail(c)
  const state = await signSignInState(bindingOf(c), signIn)
  return c.redirect(signInUrl(signInClient(c, clientId), signIn, state), 303)
}

/** The directory a consent answer names, as a lowercase GUID, or the page refusing it. */
function namedDirectory(answer: Answer): string {
  if (answer.tenant === undefined)
    throw new ConsolePageError(
      400,
      'This answer from Microsoft Entra ID names no directory (it has no "tenant"). Nothing was changed: connect again from the instance page.'
    )
  const parsed = consentDirectorySchema.safeParse(answer.tenant)
  if (!parsed.success)
    throw new ConsolePageError(
      400,
      `Microsoft Entra ID answered "${answer.tenant.slice(0, 100)}" as the consenting directory: it ${parsed.error.issues[0]?.message ?? 'is not a directory id'}. Nothing was changed: connect again from the instance page.`
    )
  return parsed.data.toLowerCase()
}

/** Step 1: the admin consent answer. Stores nothing; sends the admin on to sign in. */
export async function consentAnswer(c: ConsoleContext, answer: Answer): Promise<Response> {
  const read = await readConsentState(bindingOf(c), answer.state ?? '', Date.now())
  if (!read.ok) throw new ConsolePageError(400, STATE_REFUSED[read.reason])
  const instance = await consentInstance(c, read.state.instanceId)
  // An error answer carries admin_consent=True too: the error decides.
  if (answer.error !== undefined) return declined(c, instance, 'Consent was not granted', answer)
  const directoryId = namedDirectory(answer)
  return toSignIn(c, { ...read.state, directoryId, interactive: false })
}

/** Step 2: the sign-in answer. Stores the directory only if the ID token proves it. */
export async function signInAnswer(c: ConsoleContext, answer: Answer): Promise<Response> {
  const read = await readSignInState(bindingOf(c), answer.state ?? '', Date.now())
  if (!read.ok) throw new ConsolePageError(400, STATE_REFUSED[read.reason])
  const signIn = read.state
  const instance = await consentInstance(c, signIn.instanceId)
  if (answer.error !== undefined) {
    if (!signIn.interactive && SILENT_FAILURES.has(answer.error))
      return toSignIn(c, { ...signIn, interactive: true })
    return declined(c, instance, 'Sign-in was not completed', answer)
  }
  if (answer.code === undefined || answer.code === '')
    throw new ConsolePageError(
      400,
      'This sign-in answer from Microsoft Entra ID carries no code. Nothing was changed: connect again from the instance page.'
    )
  const operator = operatorOrFail(c)
  const client = { ...signInClient(c, operator.clientId), clientSecret: operator.clientSecret }
  const fetcher = c.env.GRAPH_FETCHER
  const send = (request: Request) => (fetcher ? fetcher.fetch(request) : fetch(request))
  const redeemed = await redeemSignInCode(send, client, signIn.directoryId, answer.code)
  if (!redeemed.ok) throw redemptionRefused(redeemed)
  const checked = checkConsentIdToken(redeemed.idToken, {
    ...client,
    directoryId: signIn.directoryId,
    nonce: signIn.nonce,
    nowMs: Date.now(),
  })
  if (!checked.ok) throw idTokenRefused(checked.refusal, signIn.directoryId)
  unwrap(
    await sessionWriter(c).connectConsent(adminEnvelope(c), instance.id, {
      directoryId: signIn.directoryId,
      nonce: signIn.nonce,
      expiresAtMs: signIn.expiresAtMs,
    })
  )
  return c.redirect(`/console/integrations/${instance.id}?done=connected`, 303)
}
