/**
 * @module The directory sync's settings as a form: the three parent group names (ActivTrak
 * group, Do Not Track group, Delete group), the interval, attribute sync, and, for an instance
 * that does not connect with admin consent, the credentials of an app registration of the
 * customer's own ("advanced"). The same fields serve creation and changes; the domain validates
 * them as it does for the admin API.
 */
import type { InstancePatchInput, PullAuth, PullSettings } from '../../../domain/instances'
import * as ui from '../components'

type Body = Record<string, unknown>

const text = (body: Body, name: string): string | undefined => {
  const v = body[name]
  return typeof v === 'string' ? v : undefined
}

/** An optional group name: empty means none. */
const optional = (body: Body, name: string): string | null | undefined => {
  const v = text(body, name)
  if (v === undefined) return undefined
  return v.trim() === '' ? null : v
}

/**
 * The name, parent groups and schedule a submitted form gives, as the domain takes them: the
 * checkbox is false when absent, the interval a number (the domain says when it is not).
 */
export function pullGroupInput(body: Body) {
  const interval = Number(text(body, 'intervalHours') ?? '24')
  return {
    name: text(body, 'name') ?? '',
    groupsParent: text(body, 'groupsParent') ?? '',
    dntParent: optional(body, 'dntParent') ?? null,
    deleteParent: optional(body, 'deleteParent') ?? null,
    intervalHours: Number.isFinite(interval) ? interval : Number.NaN,
    syncAttributes: text(body, 'syncAttributes') === 'on',
  }
}

/** A new own-app instance's settings: the group settings and the app registration's. */
export function pullInput(body: Body) {
  return {
    ...pullGroupInput(body),
    directoryId: text(body, 'directoryId') ?? '',
    clientId: text(body, 'clientId') ?? '',
    clientSecret: text(body, 'clientSecret') ?? '',
  }
}

/**
 * A change of settings: the credentials only when the form has them (a consent instance's has
 * none), and a blank secret keeps the stored one.
 */
export function pullPatch(body: Body): InstancePatchInput {
  const patch: InstancePatchInput = pullGroupInput(body)
  for (const name of ['directoryId', 'clientId'] as const) {
    const value = text(body, name)
    if (value !== undefined) patch[name] = value
  }
  const secret = text(body, 'clientSecret') ?? ''
  return secret === '' ? patch : { ...patch, clientSecret: secret }
}

/** The three parent groups in Entra ID, as the form asks for them. */
const PARENT_GROUPS = [
  {
    name: 'groupsParent',
    label: 'ActivTrak group (groups parent)',
    required: true,
    hint: 'Its direct child groups (security groups, static or dynamic, nested as you like) become groups here.',
  },
  {
    name: 'dntParent',
    label: 'Do Not Track group',
    required: undefined,
    hint: 'Optional. Everyone under it is put on the Do Not Track list and keeps a license.',
  },
  {
    name: 'deleteParent',
    label: 'Delete group',
    required: undefined,
    hint: 'Optional. Everyone under it is deleted, put on the Do Not Track list and frees a license.',
  },
] as const

/** The parent groups and the schedule. */
export function PullGroupFields(props: { current?: PullSettings | undefined }) {
  const s = props.current
  return (
    <>
      <fieldset class="card">
        <legend>Parent groups in Entra ID</legend>
        {PARENT_GROUPS.map((p) => (
          <ui.Field
            name={p.name}
            label={p.label}
            required={p.required}
            value={s?.[p.name] ?? undefined}
            maxlength={256}
            hint={p.hint}
          />
        ))}
      </fieldset>
      <fieldset class="card">
        <legend>Schedule</legend>
        <ui.Field
          name="intervalHours"
          label="Sync every (hours)"
          type="number"
          min={1}
          max={168}
          value={String(s?.intervalHours ?? 24)}
        />
        <div class="check">
          <input
            type="checkbox"
            id="f-syncAttributes"
            name="syncAttributes"
            checked={s?.syncAttributes ?? false}
          />
          <label for="f-syncAttributes">
            Also update display names and identifiers from Entra ID
          </label>
        </div>
      </fieldset>
    </>
  )
}

/**
 * The credentials of the customer's own app registration. `required` is false where they are
 * an alternative to connecting with admin consent: the domain then says what is missing.
 */
export function CredentialFields(props: {
  current?: PullSettings | undefined
  secretSet?: boolean
  required: boolean
}) {
  const s = props.current
  return (
    <fieldset class="card">
      <legend>Your app registration (advanced)</legend>
      <p class="hint">
        An application registered in your Entra ID with the application permissions
        GroupMember.Read.All, Group.Read.All and User.Read.All, admin consent granted, and a client
        secret.
      </p>
      <ui.Field
        name="directoryId"
        label="Directory (tenant) ID"
        required={props.required}
        value={s?.directoryId ?? undefined}
        hint="A GUID, or a verified domain such as contoso.com."
      />
      <ui.Field
        name="clientId"
        label="Application (client) ID"
        required={props.required}
        value={s?.clientId ?? undefined}
      />
      <ui.Field
        name="clientSecret"
        label="Client secret"
        type="password"
        autocomplete="off"
        required={props.required && !props.secretSet}
        hint={
          props.secretSet
            ? 'Stored sealed. Leave blank to keep it.'
            : 'Stored sealed; never shown again.'
        }
      />
    </fieldset>
  )
}

/** An instance's settings: its groups and schedule, and its credentials unless it uses consent. */
export function PullFields(props: {
  current?: PullSettings | undefined
  secretSet?: boolean
  auth?: PullAuth
}) {
  return (
    <>
      <PullGroupFields current={props.current} />
      {props.auth !== 'consent' && (
        <CredentialFields current={props.current} secretSet={props.secretSet ?? false} required />
      )}
    </>
  )
}
