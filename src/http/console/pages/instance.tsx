/**
 * @module "View instance": an instance's state and, for a SCIM kind, its tenant URL and keys
 * (name, prefix, created, last used; add, regenerate and revoke, a new token shown once), for the
 * directory sync its connection to Microsoft Entra ID, settings, "Sync now", live progress and
 * run reports; disable / enable, and deletion behind a typed confirmation.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { InstanceView } from '../../../domain/instances'
import type { KeyView } from '../../../domain/keys'
import { keyView } from '../../../domain/keys'
import { listKeys } from '../../../storage/repos/tenants'
import { unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { formOf } from '../forms'
import { Page } from '../layout'
import { IdpSteps } from './idp-steps'
import { instanceOf } from './instance-scope'
import { KeyOnce, KIND_LABELS, scimUrlOf } from './integrations'
import { consentRoutes } from './consent'
import { PullSection, pullRoutes } from './pull-sync'

const NOTICES: Record<string, string> = {
  created: 'The instance is created.',
  'created-consent':
    'The instance is created. Connect it to Microsoft Entra ID to grant read access; it syncs once connected.',
  connected: 'Connected to Microsoft Entra ID: your directory granted consent. Sync now to start.',
  enabled: 'The instance is enabled.',
  disabled: 'The instance is disabled: its keys answer 401 and its syncs stop.',
  renamed: 'The name is changed.',
  revoked: 'The key is revoked: it stops working at once.',
  saved: 'The settings are saved.',
  sync: 'A sync has started.',
}

function KeyRows(props: { c: ConsoleContext; instance: InstanceView; keys: KeyView[] }) {
  const { csrfToken } = props.c.var.session
  const base = `/console/integrations/${props.instance.id}/keys`
  return (
    <ui.Table
      caption="API keys"
      captionHidden
      columns={['Name', 'Prefix', 'Created', 'Last used', 'State']}
      actions
    >
      {props.keys.map((k) => (
        <tr>
          <td>{k.name}</td>
          <td class="mono">{k.prefix}…</td>
          <ui.TimeCell at={k.createdAt} />
          <ui.TimeCell at={k.lastUsedAt} />
          <td>
            {k.revokedAt ? (
              <ui.Badge tone="neutral">Revoked</ui.Badge>
            ) : (
              <ui.Badge tone="ok">Live</ui.Badge>
            )}
          </td>
          <td>
            {!k.revokedAt && (
              <div class="row">
                <ui.ConfirmedAction
                  action={`${base}/${k.id}/regenerate`}
                  question={`Regenerate "${k.name}"? The current key stops working at once; paste the new one into your identity provider.`}
                  confirm="Regenerate"
                  csrfToken={csrfToken}
                  label="Regenerate"
                  ariaLabel={`Regenerate ${k.name}`}
                />
                <ui.ConfirmedAction
                  action={`${base}/${k.id}/revoke`}
                  question={`Revoke "${k.name}"? Requests with it are refused at once.`}
                  confirm="Revoke"
                  csrfToken={csrfToken}
                  label="Revoke"
                  ariaLabel={`Revoke ${k.name}`}
                  danger
                />
              </div>
            )}
          </td>
        </tr>
      ))}
    </ui.Table>
  )
}

async function ScimSection(props: { c: ConsoleContext; instance: InstanceView }) {
  const { c, instance } = props
  const { db, tenant, csrfToken } = c.var.session
  const keys = (await listKeys(db, tenant.id, instance.id)).map(keyView)
  return (
    <>
      <section class="card" aria-labelledby="conn">
        <h2 id="conn">Connection</h2>
        <ui.SecretBox id="tenant-url" label="Tenant URL" value={scimUrlOf(c)} />
        <details>
          <summary>Setup steps in the identity provider</summary>
          <IdpSteps kind={instance.kind} />
        </details>
      </section>
      <section class="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <KeyRows c={c} instance={instance} keys={keys} />
        <form method="post" action={`/console/integrations/${instance.id}/keys`} class="filters">
          <ui.Csrf token={csrfToken} />
          <ui.Field
            name="name"
            label="New key name"
            required
            maxlength={200}
            hint="For rotation: add a key, paste it, then revoke the old one."
          />
          <button type="submit">Add key</button>
        </form>
      </section>
    </>
  )
}

function DangerZone(props: { c: ConsoleContext; instance: InstanceView }) {
  const { instance } = props
  const { csrfToken } = props.c.var.session
  const base = `/console/integrations/${instance.id}`
  return (
    <section class="card" aria-labelledby="danger">
      <h2 id="danger">Disable or delete</h2>
      <form
        method="post"
        action={`${base}/${instance.enabled ? 'disable' : 'enable'}`}
        class="filters"
      >
        <ui.Csrf token={csrfToken} />
        <p class="hint">
          {instance.enabled
            ? "Disabling refuses this instance's keys (401) and stops its syncs until you enable it again."
            : instance.kind === 'entra-pull'
              ? 'Enabling starts a sync at once.'
              : 'Enabling lets its keys work again.'}
        </p>
        <button type="submit">{instance.enabled ? 'Disable' : 'Enable'}</button>
      </form>
      <form method="post" action={`${base}/delete`}>
        <ui.Csrf token={csrfToken} />
        <ui.Field
          name="confirm"
          label={`Type the instance's name, "${instance.name}", to delete it`}
          required
          hint="Its keys are revoked at once. The users and groups it provisioned stay."
          mustEqual={instance.name}
        />
        <button type="submit" class="danger solid">
          Delete instance
        </button>
      </form>
    </section>
  )
}

async function InstancePage(props: { c: ConsoleContext; instance: InstanceView; error?: string }) {
  const { c, instance } = props
  const { session } = c.var
  const notice = NOTICES[c.req.query('done') ?? '']
  return (
    <Page title={instance.name} session={session} current="/console/integrations">
      <ui.PageHead
        title={instance.name}
        lede={KIND_LABELS[instance.kind]}
        actions={
          instance.enabled ? (
            <ui.Badge tone="ok">Enabled</ui.Badge>
          ) : (
            <ui.Badge tone="warn">Disabled</ui.Badge>
          )
        }
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      {instance.kind === 'entra-pull' ? (
        <PullSection c={c} instance={instance} />
      ) : (
        <ScimSection c={c} instance={instance} />
      )}
      <section class="card" aria-labelledby="name-title">
        <h2 id="name-title">Name</h2>
        <form method="post" action={`/console/integrations/${instance.id}/rename`} class="filters">
          <ui.Csrf token={session.csrfToken} />
          <ui.Field
            name="name"
            label="Instance name"
            value={instance.name}
            required
            maxlength={200}
          />
          <button type="submit">Rename</button>
        </form>
      </section>
      <DangerZone c={c} instance={instance} />
    </Page>
  )
}

function KeyShownPage(props: {
  c: ConsoleContext
  instance: InstanceView
  issued: Parameters<typeof KeyOnce>[0]['issued']
}) {
  const { session } = props.c.var
  return (
    <Page title={props.instance.name} session={session} current="/console/integrations">
      <ui.PageHead
        title={props.instance.name}
        lede={KIND_LABELS[props.instance.kind]}
        actions={
          <a class="button" href={`/console/integrations/${props.instance.id}`}>
            Back to the instance
          </a>
        }
      />
      <KeyOnce c={props.c} kind={props.instance.kind} issued={props.issued} />
    </Page>
  )
}

const NameForm = z.object({ name: z.string().max(400) })
const DeleteForm = z.object({ confirm: z.string().max(400) })

export function instancePages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  const path = '/integrations/:instanceId'
  const writer = (c: ConsoleContext) => sessionWriter(c)
  const back = (c: ConsoleContext, id: string, done: string) =>
    c.redirect(`/console/integrations/${id}?done=${done}`, 303)

  app.get(path, async (c) => c.html(<InstancePage c={c} instance={await instanceOf(c)} />))

  app.post(`${path}/rename`, async (c) => {
    const instance = await instanceOf(c)
    const { name } = await formOf(c, NameForm)
    const outcome = await writer(c).updateInstance(adminEnvelope(c), instance.id, { name })
    if (!outcome.ok)
      return c.html(<InstancePage c={c} instance={instance} error={outcome.detail} />, 400)
    return back(c, instance.id, 'renamed')
  })

  for (const [action, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(`${path}/${action}`, async (c) => {
      const instance = await instanceOf(c)
      unwrap(await writer(c).setInstanceEnabled(adminEnvelope(c), instance.id, enabled))
      return back(c, instance.id, `${action}d`)
    })
  }

  app.post(`${path}/delete`, async (c) => {
    const instance = await instanceOf(c)
    const { confirm } = await formOf(c, DeleteForm)
    if (confirm.trim() !== instance.name)
      return c.html(
        <InstancePage
          c={c}
          instance={instance}
          error={`Type "${instance.name}" exactly to delete this instance.`}
        />,
        400
      )
    unwrap(await writer(c).deleteInstance(adminEnvelope(c), instance.id))
    return c.redirect('/console/integrations?done=deleted', 303)
  })

  app.post(`${path}/keys`, async (c) => {
    const instance = await instanceOf(c)
    const { name } = await formOf(c, NameForm)
    const outcome = await writer(c).createKey(adminEnvelope(c), instance.id, {
      name,
      scope: 'scim',
    })
    if (!outcome.ok)
      return c.html(<InstancePage c={c} instance={instance} error={outcome.detail} />, 400)
    return c.html(<KeyShownPage c={c} instance={instance} issued={outcome.value} />, 201)
  })

  app.post(`${path}/keys/:keyId/regenerate`, async (c) => {
    const instance = await instanceOf(c)
    const issued = unwrap(
      await writer(c).regenerateKey(adminEnvelope(c), c.req.param('keyId'), instance.id)
    )
    return c.html(<KeyShownPage c={c} instance={instance} issued={issued} />)
  })

  app.post(`${path}/keys/:keyId/revoke`, async (c) => {
    const instance = await instanceOf(c)
    unwrap(await writer(c).revokeKey(adminEnvelope(c), c.req.param('keyId'), instance.id))
    return back(c, instance.id, 'revoked')
  })

  app.route('/', pullRoutes())
  app.route('/', consentRoutes())
  return app
}
