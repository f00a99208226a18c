/**
 * @module Integrations (ActivTrak's APIs & Integrations page): one card per kind with "Add
 * instance", the tenant's instances, the "drawer" that names a new one (for a directory sync:
 * connect to Microsoft Entra ID with admin consent, or an app registration of the customer's own
 * as the advanced way), and the page that shows a new SCIM instance's tenant URL and key once,
 * with a copy button and the identity provider's setup steps.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { IssuedKey } from '../../../domain/keys'
import {
  awaitsConsent,
  INSTANCE_KINDS,
  instanceView,
  type InstanceKind,
  type InstanceView,
} from '../../../domain/instances'
import { listInstances } from '../../../storage/repos/instances'
import { publicOrigin, scimBaseUrl } from '../../public-url'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { Page } from '../layout'
import { IdpSteps } from './idp-steps'
import { consentAvailable } from './consent'
import {
  CredentialFields,
  PullFields,
  PullGroupFields,
  pullGroupInput,
  pullInput,
} from './pull-form'

export const KIND_LABELS: Record<InstanceKind, string> = {
  'entra-scim': 'Microsoft Entra ID (SCIM)',
  'okta-scim': 'Okta (SCIM)',
  'entra-pull': 'Microsoft Entra ID (directory sync)',
}

const KIND_BLURBS: Record<InstanceKind, string> = {
  'entra-scim':
    'Entra ID pushes users and groups to this service over SCIM 2.0: creates, updates, suspensions and deletions.',
  'okta-scim':
    'Okta pushes users and groups over SCIM 2.0 with an HTTP Header token: creates, profile updates, deactivations and groups.',
  'entra-pull':
    'This service reads your Entra ID groups on a schedule: the groups under a parent group, a Do Not Track group and a Delete group.',
}

export const scimUrlOf = (c: ConsoleContext): string =>
  scimBaseUrl(publicOrigin(c.env, c.var.session.tenant.region, c.req.url))

const KindParam = z.enum(INSTANCE_KINDS)

function kindOf(c: ConsoleContext): InstanceKind {
  const parsed = KindParam.safeParse(c.req.param('kind'))
  if (!parsed.success) throw new ConsolePageError(404, 'There is no such kind of integration.')
  return parsed.data
}

function InstanceRows(props: { instances: InstanceView[] }) {
  if (props.instances.length === 0)
    return <p class="card empty">No integration yet. Add one from a card above.</p>
  return (
    <ui.Table caption="Your instances" columns={['Name', 'Kind', 'State', 'Created']}>
      {props.instances.map((i) => (
        <tr>
          <td>
            <a href={`/console/integrations/${i.id}`}>{i.name}</a>
          </td>
          <td>{KIND_LABELS[i.kind]}</td>
          <td>
            <span class="row">
              {i.enabled ? (
                <ui.Badge tone="ok">Enabled</ui.Badge>
              ) : (
                <ui.Badge tone="warn">Disabled</ui.Badge>
              )}
              {i.settings && awaitsConsent(i.settings) && (
                <ui.Badge tone="warn">Waiting for consent</ui.Badge>
              )}
            </span>
          </td>
          <ui.TimeCell at={i.createdAt} />
        </tr>
      ))}
    </ui.Table>
  )
}

async function IntegrationsPage(props: { c: ConsoleContext; notice?: string | undefined }) {
  const { session } = props.c.var
  const instances = (await listInstances(session.db, session.tenant.id)).map(instanceView)
  return (
    <Page title="Integrations" session={session} current="/console/integrations">
      <ui.PageHead
        title="Integrations"
        lede="Connect your identity provider so users and groups are provisioned here automatically."
      />
      {props.notice && <ui.Notice tone="ok">{props.notice}</ui.Notice>}
      <div class="cards">
        {INSTANCE_KINDS.map((kind) => {
          const existing = instances.filter((i) => i.kind === kind)
          return (
            <section class="card" aria-labelledby={`card-${kind}`}>
              <h2 id={`card-${kind}`}>{KIND_LABELS[kind]}</h2>
              <p>{KIND_BLURBS[kind]}</p>
              <div class="row">
                <a class="button primary" href={`/console/integrations/new/${kind}`}>
                  Add instance
                  <span class="sr-only"> of {KIND_LABELS[kind]}</span>
                </a>
                {existing[0] && (
                  <a class="button" href={`/console/integrations/${existing[0].id}`}>
                    View instance<span class="sr-only"> {existing[0].name}</span>
                  </a>
                )}
              </div>
            </section>
          )
        })}
      </div>
      <InstanceRows instances={instances} />
    </Page>
  )
}

/**
 * A new directory sync's way to Microsoft Entra ID: connecting with admin consent first (the
 * default button), an app registration of the customer's own folded away as the advanced way.
 */
function PullChoices() {
  return (
    <>
      <PullGroupFields />
      <section class="card" aria-labelledby="connect-title">
        <h2 id="connect-title">Connect to Microsoft Entra ID</h2>
        <p>
          Save, then sign in as an administrator of your Microsoft Entra ID and grant this service
          read access to your users and groups. You register no application and handle no secret.
        </p>
        <button type="submit" name="auth" value="consent" class="primary">
          Save, then connect to Microsoft Entra ID
        </button>
      </section>
      <details class="card">
        <summary>Use an app registration of your own instead (advanced)</summary>
        <CredentialFields required={false} />
        <button type="submit" name="auth" value="app">
          Save with my app registration
        </button>
      </details>
    </>
  )
}

function NewInstancePage(props: { c: ConsoleContext; kind: InstanceKind; error?: string }) {
  const { session } = props.c.var
  const scim = props.kind !== 'entra-pull'
  const choices = !scim && consentAvailable(props.c.env)
  return (
    <Page
      title={`Add ${KIND_LABELS[props.kind]}`}
      session={session}
      current="/console/integrations"
    >
      <ui.PageHead title={`Add ${KIND_LABELS[props.kind]}`} lede={KIND_BLURBS[props.kind]} />
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      <form method="post" action={`/console/integrations/new/${props.kind}`} class="card">
        <ui.Csrf token={session.csrfToken} />
        <ui.Field
          name="name"
          label={scim ? 'API key name' : 'Instance name'}
          required
          maxlength={200}
          hint={
            scim ? 'Names the instance and its first key, e.g. "Entra ID production".' : undefined
          }
        />
        {choices ? <PullChoices /> : !scim && <PullFields />}
        <div class="row">
          {!choices && <ui.Submit>Save</ui.Submit>}
          <a class="button" href="/console/integrations">
            Cancel
          </a>
        </div>
      </form>
    </Page>
  )
}

/** The one time a new key is shown: the tenant URL, the key, and what to do with them. */
export function KeyOnce(props: { c: ConsoleContext; kind: InstanceKind; issued: IssuedKey }) {
  return (
    <section class="card" aria-labelledby="key-title">
      <h2 id="key-title">Your tenant URL and key</h2>
      <ui.Notice tone="warn">
        Copy the key now: it cannot be shown again. If you lose it, regenerate it on this instance's
        page.
      </ui.Notice>
      <ui.SecretBox id="tenant-url" label="Tenant URL" value={scimUrlOf(props.c)} />
      <ui.SecretBox
        id="api-key"
        label={`API key "${props.issued.name}"`}
        value={props.issued.token}
      />
      <h3>Next, in {props.kind === 'okta-scim' ? 'Okta' : 'Microsoft Entra ID'}</h3>
      <IdpSteps kind={props.kind} />
    </section>
  )
}

function CreatedPage(props: { c: ConsoleContext; instance: InstanceView; issued: IssuedKey }) {
  const { session } = props.c.var
  return (
    <Page title={props.instance.name} session={session} current="/console/integrations">
      <ui.PageHead
        title={props.instance.name}
        lede={`${KIND_LABELS[props.instance.kind]} is ready.`}
        actions={
          <a class="button" href={`/console/integrations/${props.instance.id}`}>
            View instance
          </a>
        }
      />
      <KeyOnce c={props.c} kind={props.instance.kind} issued={props.issued} />
    </Page>
  )
}

export function integrationsPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/integrations', (c) =>
    c.html(
      <IntegrationsPage
        c={c}
        notice={
          c.req.query('done') === 'deleted'
            ? 'The instance is deleted and its keys are revoked.'
            : undefined
        }
      />
    )
  )
  app.get('/integrations/new/:kind', (c) => c.html(<NewInstancePage c={c} kind={kindOf(c)} />))
  app.post('/integrations/new/:kind', async (c) => {
    const kind = kindOf(c)
    const body = await c.req.parseBody()
    const writer = sessionWriter(c)
    if (kind === 'entra-pull') {
      const consent = body.auth === 'consent'
      if (consent && !consentAvailable(c.env))
        return c.html(
          <NewInstancePage
            c={c}
            kind={kind}
            error="Connecting to Microsoft Entra ID is not available right now: use an app registration of your own."
          />,
          503
        )
      const outcome = await writer.createInstance(
        adminEnvelope(c),
        consent ? { kind, auth: 'consent', ...pullGroupInput(body) } : { kind, ...pullInput(body) }
      )
      if (!outcome.ok)
        return c.html(
          <NewInstancePage c={c} kind={kind} error={outcome.detail} />,
          outcome.status === 409 ? 409 : 400
        )
      const done = consent ? 'created-consent' : 'created'
      return c.redirect(`/console/integrations/${outcome.value.instance.id}?done=${done}`, 303)
    }
    const name = typeof body.name === 'string' ? body.name : ''
    const outcome = await writer.createInstance(adminEnvelope(c), { kind, name, keyName: name })
    if (!outcome.ok)
      return c.html(
        <NewInstancePage c={c} kind={kind} error={outcome.detail} />,
        outcome.status === 409 ? 409 : 400
      )
    const { instance, key } = outcome.value
    if (!key) throw new Error('a SCIM instance was created without its key')
    return c.html(<CreatedPage c={c} instance={instance} issued={key} />, 201)
  })
  return app
}
