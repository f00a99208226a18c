/**
 * @module Small building blocks of console pages: page headers, notices, form fields with their
 * labels and errors wired for assistive technology, the session's form token, badges, the
 * one-time secret box with its copy button, and a cursor pager. Everything rendered through JSX
 * is escaped, so names coming from SCIM or Microsoft Graph always show as text.
 */
import type { Child } from 'hono/jsx'
import { CSRF_FIELD } from './security'

export function PageHead(props: { title: string; lede?: Child; actions?: Child }) {
  return (
    <div class="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.lede !== undefined && <p class="lede">{props.lede}</p>}
      </div>
      {props.actions !== undefined && <div class="row">{props.actions}</div>}
    </div>
  )
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral'

export function Badge(props: { tone: Tone; children: Child }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>
}

export function Notice(props: { tone: 'ok' | 'bad' | 'warn'; children: Child }) {
  return (
    <div class={`notice ${props.tone}`} role={props.tone === 'bad' ? 'alert' : 'status'}>
      {props.children}
    </div>
  )
}

/** A form's main button. */
export function Submit(props: { children: Child }) {
  return (
    <button type="submit" class="primary">
      {props.children}
    </button>
  )
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />
}

export interface FieldProps {
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'search' | 'number'
  value?: string | undefined
  hint?: string | undefined
  error?: string | undefined
  required?: boolean | undefined
  autocomplete?: string | undefined
  min?: number | undefined
  max?: number | undefined
  maxlength?: number | undefined
  /** A typed confirmation: the script enables the form's buttons once the value equals this. */
  mustEqual?: string | undefined
}

/** A labelled input; its hint and error are tied to it with aria-describedby. */
export function Field(props: FieldProps) {
  const id = `f-${props.name}`
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        min={props.min}
        max={props.max}
        maxlength={props.maxlength}
        data-must-equal={props.mustEqual}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span class="error" id={`${id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  )
}

/** A secret shown once, with a copy button (the script reveals it; without script, select it). */
export function SecretBox(props: { id: string; label: string; value: string }) {
  return (
    <div class="field">
      <span class="label" id={`${props.id}-label`}>
        {props.label}
      </span>
      <div class="secret">
        <code id={props.id} aria-labelledby={`${props.id}-label`}>
          {props.value}
        </code>
        <button type="button" data-copy={props.id} hidden aria-label={`Copy ${props.label}`}>
          Copy
        </button>
      </div>
    </div>
  )
}

/** "Next page" for cursor-paged lists: the same query with the cursor of the next page. */
export function Pager(props: { base: string; query: Record<string, string>; next: string | null }) {
  if (props.next === null) return null
  const params = new URLSearchParams({ ...props.query, cursor: props.next })
  return (
    <nav class="pager" aria-label="Pages">
      <a class="button" href={`${props.base}?${params.toString()}`}>
        Next page
      </a>
    </nav>
  )
}

/** A short, readable UTC time (the full ISO time in a title and datetime attribute). */
export function Time(props: { at: string | null }) {
  if (props.at === null) return <span class="muted">—</span>
  const text = `${props.at.slice(0, 10)} ${props.at.slice(11, 16)} UTC`
  return (
    <time datetime={props.at} title={props.at}>
      {text}
    </time>
  )
}

/** A table cell holding a time (or a dash when there is none). */
export function TimeCell(props: { at: string | null }) {
  return (
    <td>
      <Time at={props.at} />
    </td>
  )
}

/**
 * A search box that searches as you type: the script fetches its GET form's results and swaps
 * them into `#results`; without script, submitting the form does the same.
 */
export function SearchField(props: { value: string | undefined; hint: string }) {
  return (
    <div class="field">
      <label for="f-q">Search</label>
      <input
        id="f-q"
        name="q"
        type="search"
        value={props.value ?? ''}
        placeholder="Type to filter"
        autocomplete="off"
        maxlength={256}
        data-live-search
        aria-describedby="f-q-hint"
        aria-controls="results"
      />
      <span class="hint" id="f-q-hint">
        {props.hint}
      </span>
    </div>
  )
}

/**
 * The account a password form is for, as password managers look for it: a hidden username
 * field, so a saved or generated password is stored under the admin's email.
 */
export function AccountName(props: { email: string }) {
  return (
    <input
      type="text"
      name="username"
      value={props.email}
      autocomplete="username"
      hidden
      readonly
    />
  )
}

/** A new password and its repetition (the password rules are checked on the server). */
export function NewPasswordFields(props: { repeatLabel: string }) {
  return (
    <>
      <Field
        name="password"
        label="New password"
        type="password"
        autocomplete="new-password"
        required
        hint="At least 12 characters."
      />
      <Field
        name="confirm"
        label={props.repeatLabel}
        type="password"
        autocomplete="new-password"
        required
      />
    </>
  )
}

export interface ConfirmedActionProps {
  /** Where the form posts. */
  action: string
  /** The question the confirmation dialog asks (it says what follows and what cannot be undone). */
  question: string
  /** The dialog's button. */
  confirm: string
  csrfToken: string
  /** The form's own button, and its accessible name when the text alone is ambiguous. */
  label: string
  ariaLabel?: string | undefined
  danger?: boolean | undefined
  class?: string | undefined
}

/** A one-button form that the console's script confirms in a dialog before it posts. */
export function ConfirmedAction(props: ConfirmedActionProps) {
  return (
    <form
      method="post"
      action={props.action}
      data-confirm={props.question}
      data-confirm-action={props.confirm}
      class={props.class}
    >
      <Csrf token={props.csrfToken} />
      <button
        type="submit"
        class={props.danger ? 'danger' : undefined}
        aria-label={props.ariaLabel}
      >
        {props.label}
      </button>
    </form>
  )
}

/** A table in its scrolling frame: the head as TableHead draws it, then the rows. */
export function Table(props: Parameters<typeof TableHead>[0] & { children: Child }) {
  const { children, ...head } = props
  return (
    <div class="table-wrap">
      <table>
        <TableHead {...head} />
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

/**
 * A table's caption and column headers. The caption names the table for screen readers (shown
 * unless `captionHidden`, where the page's heading already says it); `actions` adds a last
 * column for row buttons, named for screen readers only.
 */
export function TableHead(props: {
  caption: string
  captionHidden?: boolean | undefined
  /** Column labels; a number column is right-aligned (`{ label, num: true }`). */
  columns: readonly (string | { label: string; num: true })[]
  actions?: boolean | undefined
}) {
  return (
    <>
      <caption class={props.captionHidden ? 'sr-only' : undefined}>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) =>
            typeof c === 'string' ? (
              <th scope="col">{c}</th>
            ) : (
              <th scope="col" class="num">
                {c.label}
              </th>
            )
          )}
          {props.actions && (
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
    </>
  )
}
