/**
 * @module Deletions: every user deleted through SCIM or the directory sync's Delete group, with
 * where it stands (pending, verified, failed and why), when it was requested, purged and
 * verified, and the promise the vendor guides make: verified within 12 hours.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { loadConfig } from '../../../config'
import { verifyByOf } from '../../../domain/deletion-verification'
import { listDeletions, type DeletionRow } from '../../../storage/repos/deletions'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { queryOf } from '../forms'
import { Page } from '../layout'
import { page, PageQuery } from '../paging'
import { optionalField } from '../query-fields'

/** Each deletion state as a labelled badge. */
const STATUS: Record<DeletionRow['status'], { label: string; tone: ui.Tone }> = {
  pending: { label: 'Pending', tone: 'info' },
  verified: { label: 'Verified', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
}

/** Where a deletion stands, as a badge. */
export function DeletionState(props: { status: DeletionRow['status'] }) {
  const { label, tone } = STATUS[props.status]
  return <ui.Badge tone={tone}>{label}</ui.Badge>
}

const SOURCES: Record<DeletionRow['source'], string> = {
  scim: 'Identity provider (SCIM)',
  'pull-delete': 'Entra ID Delete group',
  operator: 'Operator',
}

const Query = PageQuery.extend({
  status: optionalField(z.enum(['pending', 'verified', 'failed'])),
})

const IdentifiersSchema = z.object({ userName: z.string().nullable().optional() }).loose()

/** The userName the user had when deleted (the record keeps identifiers, not the user). */
export function userNameOf(d: DeletionRow): string {
  try {
    const parsed = IdentifiersSchema.safeParse(JSON.parse(d.identifiers))
    return (parsed.success && parsed.data.userName) || d.userId
  } catch {
    return d.userId
  }
}

function DeletionRows(props: { items: DeletionRow[]; deadlineMs: number }) {
  return (
    <div class="table-wrap" id="results">
      <table>
        <ui.TableHead
          caption="Deletions"
          captionHidden
          columns={[
            'User',
            'Requested by',
            'Requested',
            'State',
            'Purged',
            'Verified',
            'Verify by',
            'Reason',
          ]}
        />
        <tbody>
          {props.items.map((d) => (
            <tr>
              <td>{userNameOf(d)}</td>
              <td>{SOURCES[d.source]}</td>
              <ui.TimeCell at={d.requestedAt} />
              <td>
                <DeletionState status={d.status} />
              </td>
              <ui.TimeCell at={d.purgedAt} />
              <ui.TimeCell at={d.verifiedAt} />
              <ui.TimeCell at={verifyByOf(d.requestedAt, props.deadlineMs)} />
              <td>{d.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.items.length === 0 && <p class="empty">No deletions match.</p>}
    </div>
  )
}

async function DeletionsPage(props: { c: ConsoleContext }) {
  const { c } = props
  const { session } = c.var
  const q = queryOf(c, Query)
  const items = await listDeletions(session.db, session.tenant.id, {
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
    ...(q.cursor ? { before: q.cursor } : {}),
  })
  const hours = loadConfig(c.env).deleteVerifyDeadlineHours
  return (
    <Page title="Deletions" session={session} current="/console/deletions">
      <ui.PageHead
        title="Deletions"
        lede="A deleted user leaves at once: their groups, their user agents and their license go, and they are put on the Do Not Track list. Each deletion is then checked until nothing is left."
      />
      <ui.Notice tone="ok">
        Every deletion is verified within {String(hours)} hours of the request. A failed one says
        what was left.
      </ui.Notice>
      <form method="get" action="/console/deletions" class="filters">
        <div class="field">
          <label for="f-status">State</label>
          <select id="f-status" name="status">
            <option value="">All</option>
            {(['pending', 'verified', 'failed'] as const).map((s) => (
              <option value={s} selected={q.status === s}>
                {STATUS[s].label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <DeletionRows items={items} deadlineMs={hours * 3_600_000} />
      <ui.Pager
        base="/console/deletions"
        query={q.status ? { status: q.status } : {}}
        next={page(items, q.limit, (d) => d.id)}
      />
    </Page>
  )
}

export function deletionsPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/deletions', (c) => c.html(<DeletionsPage c={c} />))
  return app
}
