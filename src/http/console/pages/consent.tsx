/**
 * @module "Connect to Microsoft Entra ID" (ActivTrak's "authenticate the integration by
 * connecting to Azure"): a directory sync that uses the service's own multi-tenant application.
 * The admin is sent to the identity platform's admin consent endpoint, signs in as an
 * administrator of their directory and grants the application read access; the answer comes
 * back to the callback below, which checks its `state` (this session, this instance, minutes
 * old, used once) and stores the consenting directory on the instance through the tenant's
 * object. The customer never handles a secret. Also the instance page's connection card: waiting
 * for consent, or connected to a directory, with "Connect" / "Reconnect".
 *
 * Connecting is a link (a GET), never a form: Chrome applies the CSP `form-action` directive to
 * every redirect that follows a form submission, so a POST answered with a redirect to the
 * identity platform would be blocked under `form-action 'self'`, and widening `form-action` to
 * the login host would let any injected form post there too. Creating the instance is a POST
 * that lands on its page; its "Connect to Microsoft Entra ID" link starts the redirect.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { loadConfig } from '../../../config'
import { awaitsConsent, operatorApp, type InstanceView } from '../../../domain/instances'
import type { Env } from '../../../env'
import { GRAPH_SCOPE } from '../../../graph/token'
import { randomToken } from '../../../lib/ids'
import { tenantWriter, unwrap } from '../../../tenant-do/client'
import { publicOrigin } from '../../public-url'
import { Badge, Notice, PageHead } from '../components'
import {
  CONSENT_STATE_TTL_MS,
  readConsentState,
  signConsentState,
  type ConsentBinding,
  type ConsentStateRefusal,
} from '../consent-state'
import { adminEnvelope, type ConsoleContext, type ConsoleEnv } from '../context'
import { ConsolePageError } from '../errors'
import { queryOf } from '../forms'
import { Page } from '../layout'
import { cookieSecret } from '../session'
import { instanceById } from './instance-scope'

/** The callback's path, the redirect URI to register (per region) on the operator's app. */
export const CONSENT_CALLBACK_PATH = '/console/integrations/consent/callback'

/** Whether the operator configured the multi-tenant application. */
export const consentAvailable = (env: Env): boolean => !('missing' in operatorApp(env))

const connectPath = (instanceId: string): string => `/console/integrations/${instanceId}/connect`

const REFUSED: Record<ConsentStateRefusal, string> = {
  malformed:
    'This answer from Microsoft Entra ID carries no valid state, so it cannot be matched to a request of yours. Nothing was changed: start again with "Connect to Microsoft Entra ID" on the instance page.',
  forged:
    'This answer from Microsoft Entra ID does not belong to your session: it was started in another sign-in, or altered on the way. Nothing was changed: start again with "Connect to Microsoft Entra ID" on the instance page.',
  expired: `This answer from Microsoft Entra ID came more than ${String(CONSENT_STATE_TTL_MS / 60_000)} minutes after you started connecting. Nothing was changed: start again with "Connect to Microsoft Entra ID" on the instance page.`,
}

/** The instance page's card for a consent instance: its state and the way to (re)connect. */
export function ConnectionCard(props: { c: ConsoleContext; instance: InstanceView }) {
  const { instance } = props
  const settings = instance.settings
  if (settings?.auth !== 'consent') return null
  const waiting = awaitsConsent(settings)
  const available = consentAvailable(props.c.env)
  return (
    <section class="card" aria-labelledby="connection-title">
      <h2 id="connection-title" class="row">
        <span>Microsoft Entra ID</span>
        {waiting ? (
          <Badge tone="warn">Waiting for consent</Badge>
        ) : (
          <Badge tone="ok">Connected</Badge>
        )}
      </h2>
      {waiting ? (
        <p>
          Nothing syncs until an administrator of your Microsoft Entra ID signs in and grants this
          service read access to your users and groups (GroupMember.Read.All, Group.Read.All,
          User.Read.All). You handle no secret.
        </p>
      ) : (
        <dl class="facts">
          <dt>Directory (tenant) ID</dt>
          <dd class="mono">{settings.directoryId}</dd>
        </dl>
      )}
      {available ? (
        <p class="row">
          <a class={waiting ? 'button primary' : 'button'} href={connectPath(instance.id)}>
            {waiting ? 'Connect to Microsoft Entra ID' : 'Reconnect'}
          </a>
          {!waiting && (
            <span class="hint">
              After removing the app in Entra ID, or to use another directory.
            </span>
          )}
        </p>
      ) : (
        <Notice tone="warn">
          Connecting to Microsoft Entra ID is not available right now: the service is missing its
          application settings. Contact support.
        </Notice>
      )}
    </section>
  )
}

/** What the state is bound to in this request: the cookie secret, tenant and session. */
const bindingOf = (c: ConsoleContext): ConsentBinding => ({
  secret: cookieSecret(c),
  tenantId: c.var.session.tenant.id,
  sessionIdHash: c.var.session.idHash,
})

/** The consent request URL for an instance, with a fresh state. */
async function adminConsentUrl(c: ConsoleContext, instance: InstanceView, clientId: string) {
  const state = await signConsentState(bindingOf(c), {
    instanceId: instance.id,
    nonce: randomToken(24),
    expiresAtMs: Date.now() + CONSENT_STATE_TTL_MS,
  })
  const origin = publicOrigin(c.env, c.var.session.tenant.region, c.req.url)
  const query = new URLSearchParams({
    client_id: clientId,
    scope: GRAPH_SCOPE,
    redirect_uri: `${origin}${CONSENT_CALLBACK_PATH}`,
    state,
  })
  const login = loadConfig(c.env).graphTokenUrl.replace(/\/+$/, '')
  // `organizations`: Microsoft asks which directory; its answer names the one that consented.
  return `${login}/organizations/v2.0/adminconsent?${query.toString()}`
}

/** The page of a refused consent: what Microsoft said, and the instance still waiting. */
function DeclinedPage(props: {
  c: ConsoleContext
  instance: InstanceView
  error: string
  description: string
}) {
  const { c, instance } = props
  const [first, ...trace] = props.description.split(/\r?\n/)
  return (
    <Page title="Consent was not granted" session={c.var.session} current="/console/integrations">
      <PageHead
        title="Consent was not granted"
        lede={`${instance.name} is still waiting for consent: nothing syncs until it is granted.`}
      />
      <Notice tone="bad">
        Microsoft Entra ID answered "{props.error}": {first || 'no description given'}
      </Notice>
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

/** The identity platform's answer (v2.0 admin consent): bounded, every part optional. */
const Answer = z.object({
  state: z.string().max(512).optional(),
  tenant: z.string().max(256).optional(),
  admin_consent: z.string().max(16).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
  scope: z.string().max(4096).optional(),
})

/** The consent instance a URL or state names, in the session's tenant (404 otherwise). */
async function consentInstance(c: ConsoleContext, id: string): Promise<InstanceView> {
  const instance = await instanceById(c, id)
  if (instance.settings?.auth !== 'consent')
    throw new ConsolePageError(
      400,
      `"${instance.name}" uses your own app registration: change its credentials in its settings instead.`
    )
  return instance
}

export function consentRoutes(): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  app.get('/integrations/consent/callback', async (c) => {
    const answer = queryOf(c, Answer)
    const read = await readConsentState(bindingOf(c), answer.state ?? '', Date.now())
    if (!read.ok) throw new ConsolePageError(400, REFUSED[read.reason])
    const { instanceId, nonce, expiresAtMs } = read.state
    const instance = await consentInstance(c, instanceId)
    // An error answer carries admin_consent=True too: the error decides.
    if (answer.error !== undefined)
      return c.html(
        <DeclinedPage
          c={c}
          instance={instance}
          error={answer.error}
          description={answer.error_description ?? ''}
        />
      )
    if (answer.tenant === undefined)
      throw new ConsolePageError(
        400,
        'This answer from Microsoft Entra ID names no directory (it has no "tenant"). Nothing was changed: connect again from the instance page.'
      )
    unwrap(
      await tenantWriter(c.env, c.var.session.tenant.id).connectConsent(
        adminEnvelope(c),
        instance.id,
        { directoryId: answer.tenant, nonce, expiresAtMs }
      )
    )
    return c.redirect(`/console/integrations/${instance.id}?done=connected`, 303)
  })

  app.get('/integrations/:instanceId/connect', async (c) => {
    const instance = await consentInstance(c, c.req.param('instanceId'))
    const operator = operatorApp(c.env)
    if ('missing' in operator)
      throw new ConsolePageError(
        503,
        `Connecting to Microsoft Entra ID is not available: the service's setting ${operator.missing} is not set. Contact support.`
      )
    return c.redirect(await adminConsentUrl(c, instance, operator.clientId), 303)
  })
  return app
}
