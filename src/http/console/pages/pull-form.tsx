/**
 * @module The directory sync's settings as a form: the three parent group names (ActivTrak
 * group, Do Not Track group, Delete group), the interval, attribute sync, and the credentials of
 * an app registration of the customer's own ("advanced"). The same fields serve creation and
 * changes; the domain validates them as it does for the admin API.
 */
import type { InstancePatchInput, PullSettings } from '../../../domain/instances'
import { Field } from '../components'

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
 * The settings a submitted form gives, as the domain takes them: a blank secret keeps the stored
 * one, the checkbox is false when absent, the interval a number (the domain says when it is not).
 */
export function pullInput(body: Body): InstancePatchInput & {
  name: string
  directoryId: string
  clientId: string
  clientSecret: string
  groupsParent: string
} {
  const secret = text(body, 'clientSecret') ?? ''
  const interval = Number(text(body, 'intervalHours') ?? '24')
  return {
    name: text(body, 'name') ?? '',
    directoryId: text(body, 'directoryId') ?? '',
    clientId: text(body, 'clientId') ?? '',
    clientSecret: secret,
    groupsParent: text(body, 'groupsParent') ?? '',
    dntParent: optional(body, 'dntParent') ?? null,
    deleteParent: optional(body, 'deleteParent') ?? null,
    intervalHours: Number.isFinite(interval) ? interval : Number.NaN,
    syncAttributes: text(body, 'syncAttributes') === 'on',
  }
}

/** A change of settings: like `pullInput`, but a blank secret keeps the stored one. */
export function pullPatch(body: Body): InstancePatchInput {
  const { clientSecret, ...rest } = pullInput(body)
  return clientSecret === '' ? rest : { ...rest, clientSecret }
}

export function PullFields(props: { current?: PullSettings | undefined; secretSet?: boolean }) {
  const s = props.current
  return (
    <>
      <fieldset class="card">
        <legend>Parent groups in Entra ID</legend>
        <Field
          name="groupsParent"
          label="ActivTrak group (groups parent)"
          required
          value={s?.groupsParent}
          maxlength={256}
          hint="Its direct child groups (security groups, static or dynamic, nested as you like) become groups here."
        />
        <Field
          name="dntParent"
          label="Do Not Track group"
          value={s?.dntParent ?? undefined}
          maxlength={256}
          hint="Optional. Everyone under it is put on the Do Not Track list and keeps a license."
        />
        <Field
          name="deleteParent"
          label="Delete group"
          value={s?.deleteParent ?? undefined}
          maxlength={256}
          hint="Optional. Everyone under it is deleted, put on the Do Not Track list and frees a license."
        />
      </fieldset>
      <fieldset class="card">
        <legend>Schedule</legend>
        <Field
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
      <fieldset class="card">
        <legend>Your app registration (advanced)</legend>
        <p class="hint">
          An application registered in your Entra ID with the application permissions
          GroupMember.Read.All, Group.Read.All and User.Read.All, admin consent granted, and a
          client secret.
        </p>
        <Field
          name="directoryId"
          label="Directory (tenant) ID"
          required
          value={s?.directoryId}
          hint="A GUID, or a verified domain such as contoso.com."
        />
        <Field name="clientId" label="Application (client) ID" required value={s?.clientId} />
        <Field
          name="clientSecret"
          label="Client secret"
          type="password"
          autocomplete="off"
          required={!props.secretSet}
          hint={
            props.secretSet
              ? 'Stored sealed. Leave blank to keep it.'
              : 'Stored sealed; never shown again.'
          }
        />
      </fieldset>
    </>
  )
}
