/**
 * @module History (TrackTik's History tab, for the whole tenant): every provisioning and
 * configuration change, newest first: when, what in words, about whom or what (linked where the
 * console has a page), what changed (before → after), who made it and the request id. Filtered
 * by user, group, operation, actor, admin, instance and a range of UTC days, combined freely,
 * paged; the same filters export it as CSV (history-csv.ts).
 */
import { Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { HistoryRow } from '../../../storage/repos/history'
import { HISTORY_ACTORS, historyPage } from '../../../storage/repos/history-query'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { queryOf } from '../forms'
import { actorOf, subjectOf, valueNames, type HistoryNames } from '../history-subjects'
import { ACTOR_WORDS, changeText, OP_FAMILIES, opWords, parseChanges } from '../history-words'
import { Page } from '../layout'
import { historyCsv } from './history-csv'
import {
  HistoryFilterQuery,
  HistoryQuery,
  resolveFilter,
  type HistoryFields,
  type ResolvedFilter,
} from './history-filter'
import { pageNames, tenantNames, type TenantNames } from './history-names'

/** A labelled select whose first, empty option means "any": the filter is then left out. */
function FilterSelect(props: { name: string; label: string; any: string; children: Child }) {
  const id = `f-${props.name}`
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{props.any}</option>
        {props.children}
      </select>
    </div>
  )
}

/** The options to choose from, the one the query holds selected. */
function Options(props: {
  options: readonly { value: string; label: string }[]
  value: string | undefined
}) {
  return (
    <>
      {props.options.map((o) => (
        <option value={o.value} selected={props.value === o.value}>
          {o.label}
        </option>
      ))}
    </>
  )
}

function Select(props: {
  name: string
  label: string
  any: string
  value: string | undefined
  options: readonly { value: string; label: string }[]
}) {
  return (
    <FilterSelect name={props.name} label={props.label} any={props.any}>
      <Options options={props.options} value={props.value} />
    </FilterSelect>
  )
}

/** Every known op, grouped by family; a family's first option selects all its ops. */
function OpSelect(props: { value: string | undefined }) {
  return (
    <FilterSelect name="op" label="Operation" any="Any operation">
      {OP_FAMILIES.map((f) => (
        <optgroup label={f.label}>
          <Options
            options={[{ value: f.value, label: `All: ${f.label.toLowerCase()}` }, ...f.ops]}
            value={props.value}
          />
        </optgroup>
      ))}
    </FilterSelect>
  )
}

function DateInput(props: { name: string; label: string; value: string | undefined }) {
  const id = `f-${props.name}`
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type="date" value={props.value} />
    </div>
  )
}

/**
 * The user or group filter: the name picked (or typed, when it matched nothing); one deleted
 * since has no name, so its id rides along hidden and the filter keeps it.
 */
function SubjectField(props: {
  name: 'user' | 'group'
  label: string
  picked: { id: string; name: string | null } | undefined
  typed: string | undefined
}) {
  const { name, picked } = props
  return (
    <>
      <div class="field">
        <label for={`f-${name}`}>{props.label}</label>
        <input
          id={`f-${name}`}
          name={name}
          type="search"
          maxlength={1024}
          value={picked?.name ?? props.typed}
        />
      </div>
      {picked && picked.name === null && (
        <input type="hidden" name={`${name}Id`} value={picked.id} />
      )}
    </>
  )
}

function Filters(props: { q: HistoryFields; r: ResolvedFilter; names: TenantNames }) {
  const { q, r, names } = props
  const list = (m: ReadonlyMap<string, string>) =>
    [...m].map(([value, label]) => ({ value, label }))
  const selects = [
    {
      name: 'actor',
      label: 'Actor',
      any: 'Anyone',
      options: HISTORY_ACTORS.map((a) => ({ value: a, label: ACTOR_WORDS[a] })),
    },
    { name: 'actorId', label: 'Admin', any: 'Any admin', options: list(names.admins) },
    { name: 'instanceId', label: 'Instance', any: 'Any instance', options: list(names.instances) },
  ] as const
  return (
    <form
      method="get"
      action="/console/history"
      class="filter-grid"
      aria-label="Filter the history"
    >
      <SubjectField name="user" label="User (userName)" picked={r.user} typed={q.user} />
      <SubjectField name="group" label="Group (displayName)" picked={r.group} typed={q.group} />
      <OpSelect value={q.op} />
      {selects.map((s) => (
        <Select {...s} value={q[s.name]} />
      ))}
      <DateInput name="from" label="From (UTC day)" value={q.from} />
      <DateInput name="to" label="To (UTC day, included)" value={q.to} />
      <div class="row">
        <ui.Submit>Show</ui.Submit>
        <a class="button" href="/console/history">
          Clear
        </a>
      </div>
    </form>
  )
}

function EntryRow(props: { row: HistoryRow; names: HistoryNames }) {
  const { row, names } = props
  const changes = parseChanges(row.changes)
  const actor = actorOf(row, names)
  const nameOf = valueNames(names)
  return (
    <tr>
      <td class="nowrap">
        <ui.Time at={row.at} />
      </td>
      <td>
        {opWords(row.op)}
        <div class="hint mono">{row.op}</div>
      </td>
      <td>
        {subjectOf(row, names).map((part) => (
          <div>
            <span class="muted">{part.kind}: </span>
            {part.href === undefined ? part.label : <a href={part.href}>{part.label}</a>}
          </div>
        ))}
      </td>
      <td>
        {changes.length === 0 ? (
          <span class="muted">—</span>
        ) : (
          <ul class="changes">
            {changes.map((change) => (
              <li>{changeText(change, nameOf)}</li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {actor.kind}
        {actor.detail && <div class="hint">{actor.detail}</div>}
      </td>
      <td class="mono">
        {row.requestId ? (
          // The first characters tell requests apart on the page; the whole id is in the title and the CSV.
          <span title={row.requestId}>{row.requestId.slice(0, 8)}…</span>
        ) : (
          '—'
        )}
      </td>
    </tr>
  )
}

function Entries(props: { rows: HistoryRow[]; names: HistoryNames }) {
  return (
    <div class="table-wrap" id="results" data-count={String(props.rows.length)}>
      <table>
        <ui.TableHead
          caption="History entries, newest first"
          captionHidden
          columns={['Time', 'Operation', 'Subject', 'What changed', 'Who', 'Request id']}
        />
        <tbody>
          {props.rows.map((row) => (
            <EntryRow row={row} names={props.names} />
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 && <p class="empty">No history entries match.</p>}
    </div>
  )
}

async function HistoryPage(props: { c: ConsoleContext }) {
  const { c } = props
  const { session } = c.var
  const { db, tenant } = session
  const q = queryOf(c, HistoryQuery)
  const resolved = await resolveFilter(c, q)
  const page = resolved.missing
    ? { rows: [], nextCursor: null }
    : await historyPage(db, tenant.id, { ...resolved.filter, limit: q.limit, cursor: q.cursor })
  const fixed = await tenantNames(db, tenant.id)
  const names = await pageNames(db, tenant.id, page.rows, fixed)
  const csv = `/console/history.csv?${new URLSearchParams(resolved.query).toString()}`
  return (
    <Page title="History" session={session} current="/console/history">
      <ui.PageHead
        title="History"
        lede="Every change to users, groups, user agents, roles and the console's settings, newest first: what changed, who made it, and the request that did."
        actions={
          <a class="button" href={csv} download>
            Export as CSV
          </a>
        }
      />
      <Filters q={q} r={resolved} names={fixed} />
      {resolved.missing && <ui.Notice tone="warn">{resolved.missing}</ui.Notice>}
      <Entries rows={page.rows} names={names} />
      <ui.Pager base="/console/history" query={resolved.query} next={page.nextCursor} />
    </Page>
  )
}

export function historyPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/history', (c) => c.html(<HistoryPage c={c} />))
  app.get('/history.csv', async (c) => {
    const { db, tenant } = c.var.session
    const resolved = await resolveFilter(c, queryOf(c, HistoryFilterQuery))
    const day = new Date().toISOString().slice(0, 10)
    return c.body(historyCsv(db, tenant.id, resolved.missing ? null : resolved.filter), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="history-${tenant.id}-${day}.csv"`,
    })
  })
  return app
}
