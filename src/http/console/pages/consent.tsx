/**
 * @module "Connect to Microsoft Entra ID" (ActivTrak's "authenticate the integration by
 * connecting to Azure"): a directory sync that uses the service's own multi-tenant application.
 * The admin is sent to the identity platform's admin consent endpoint, signs in as an
 * administrator of their directory and grants the application read access; the answer comes
 * back to the callback, which does not trust the directory it names but sends the admin on to
 * an OpenID Connect sign-in against it, and stores the directory on the instance only once the
 * sign-in proves an administrator of it (pages/consent-answers.tsx). The customer never handles
 * a secret. Also the instance page's connection card: waiting for consent, or connected to a
 * directory, with "Connect" / "Reconnect".
 *
 * Connecting is a link (a GET), never a form: Chrome applies the CSP `form-action` directive to
 * every redirect that follows a form submission, so a POST answered with a redirect to the
 * identity platform would be blocked under `form-action 'self'`, and widening `form-action` to
 * the login host would let any injected form post there too. Creating the instance is a POST
 * that lands on its page; its "Connect to Microsoft Entra ID" link starts the redirect, and every
 * later step is a redirect too.
 */
import { Hono } from 'hono'
import { loadConfig } from '../../../config'
import { awaitsConsent, type InstanceView } from '../../../domain/instances'
import type { Env } from '../../../env'
import { GRAPH_SCOPE } from '../../../graph/token'
import { randomToken } from '../../../lib/ids'
import * as ui from '../components'
import { CONSENT_STATE_TTL_MS, isSignInState, signConsentState } from '../consent-state'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { queryOf } from '../forms'
import {
  answerSchema,
  bindingOf,
  callbackUrl,
  connectPath,
  consentAnswer,
  consentInstance,
  operatorOrFail,
  signInAnswer,
} from './consent-answers'

/** Whether the operator configured the multi-tenant application. */
export const consentAvailable = (env: Env): boolean => !('missing' in loadConfig(env).operatorApp)

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
          <ui.Badge tone="warn">Waiting for consent</ui.Badge>
        ) : (
          <ui.Badge tone="ok">Connected</ui.Badge>
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
        <ui.Notice tone="warn">
          Connecting to Microsoft Entra ID is not available right now: the service is missing its
          application settings. Contact support.
        </ui.Notice>
      )}
    </section>
  )
}

/** The consent request URL for an instance, with a fresh state. */
async function adminConsentUrl(c: ConsoleContext, instance: InstanceView, clientId: string) {
  const state = await signConsentState(bindingOf(c), {
    instanceId: instance.id,
    nonce: randomToken(24),
    expiresAtMs: Date.now() + CONSENT_STATE_TTL_MS,
  })
  const query = new URLSearchParams({
    client_id: clientId,
    scope: GRAPH_SCOPE,
    redirect_uri: callbackUrl(c),
    state,
  })
  const login = loadConfig(c.env).graphTokenUrl.replace(/\/+$/, '')
  // `organizations`: Microsoft asks which directory; its answer names one, the sign-in proves it.
  return `${login}/organizations/v2.0/adminconsent?${query.toString()}`
}

export function consentRoutes(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()

  // One redirect URI for both answers: the state says which step it answers.
  app.get('/integrations/consent/callback', async (c) => {
    const answer = queryOf(c, answerSchema)
    return isSignInState(answer.state ?? '') ? signInAnswer(c, answer) : consentAnswer(c, answer)
  })

  app.get('/integrations/:instanceId/connect', async (c) => {
    const instance = await consentInstance(c, c.req.param('instanceId'))
    const operator = operatorOrFail(c)
    return c.redirect(await adminConsentUrl(c, instance, operator.clientId), 303)
  })
  return app
}
