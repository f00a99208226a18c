/**
 * @module A user's provisioning history on their page (TrackTik's per-employee History tab):
 * newest first, a page at a time, each entry with its time, the operation in words, what
 * changed, and who made the change.
 */
import type { Db } from '../../../storage/db'
import type { HistoryRow } from '../../../storage/repos/history'
import { historyNames } from '../../../storage/repos/history-names'
import { historyPage } from '../../../storage/repos/history-query'
import type { PageInput } from '../../../storage/page'
import * as ui from '../components'
import {
  actorWords,
  changeLines,
  operationWords,
  referencesOf,
  type HistoryFacts,
} from '../history-phrases'
import { parseChanges } from '../history-words'

/** One history entry as the page shows it. */
export interface HistoryLine {
  id: string
  at: string
  what: string
  changes: string[]
  who: string
}

const factsOf = (r: HistoryRow): HistoryFacts => ({
  op: r.op,
  actor: r.actor,
  actorName: r.actorName,
  instanceId: r.instanceId,
  keyId: r.keyId,
  resourceId: r.resourceId,
  changes: parseChanges(r.changes),
})

/** A page of the user's history in words: two queries (the entries, then the names). */
export async function loadUserHistory(
  db: Db,
  tenantId: string,
  userId: string,
  query: PageInput
): Promise<{ lines: HistoryLine[]; nextCursor: string | null }> {
  const page = await historyPage(db, tenantId, { ...query, userId })
  const entries = page.rows.map((row) => ({ row, facts: factsOf(row) }))
  const names = await historyNames(db, tenantId, referencesOf(entries.map((e) => e.facts)))
  return {
    nextCursor: page.nextCursor,
    lines: entries.map(({ row, facts }) => ({
      id: row.id,
      at: row.at,
      what: operationWords(facts, names),
      changes: changeLines(facts),
      who: actorWords(facts, names),
    })),
  }
}

export function UserHistory(props: {
  userId: string
  history: { lines: HistoryLine[]; nextCursor: string | null }
  limit: number
}) {
  const { lines, nextCursor } = props.history
  return (
    <section class="card" aria-labelledby="history-title" id="history">
      <h2 id="history-title">History</h2>
      {lines.length === 0 ? (
        <p class="muted">No changes recorded on this page.</p>
      ) : (
        <ui.Table
          caption="Provisioning history of this user, newest first"
          captionHidden
          columns={['When', 'What happened', 'What changed', 'Who']}
        >
          {lines.map((l) => (
            <tr>
              <ui.TimeCell at={l.at} />
              <td>{l.what}</td>
              <td>
                {l.changes.length > 0 && (
                  <ul class="plain">
                    {l.changes.map((c) => (
                      <li>{c}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{l.who}</td>
            </tr>
          ))}
        </ui.Table>
      )}
      <ui.Pager
        base={`/console/users/${props.userId}`}
        query={{ limit: String(props.limit) }}
        next={nextCursor}
      />
    </section>
  )
}
