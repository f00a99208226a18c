/**
 * @module The history as a CSV download, with the History page's filters. It is streamed: the
 * body is a ReadableStream that reads the next page of entries from storage only when the client
 * has taken the previous one, so an export of millions of entries never sits in memory. Each
 * page's names are read in one batch, like the page's. Fields a spreadsheet would run as a
 * formula are written as text (see lib/csv.ts): names come from identity providers.
 */
import { csvRecord } from '../../../lib/csv'
import type { Db } from '../../../storage/db'
import type { HistoryRow } from '../../../storage/repos/history'
import { historyRows, type HistoryFilter } from '../../../storage/repos/history-query'
import { actorOf, subjectOf, valueNames, type HistoryNames } from '../history-subjects'
import { changeText, opWords, parseChanges } from '../history-words'
import { pageNames, tenantNames, type TenantNames } from './history-names'

/** Entries read per storage page, and written per chunk of the body. */
const CSV_PAGE_SIZE = 500

const HEADER = [
  'Time (UTC)',
  'Operation',
  'Op',
  'Subject type',
  'Subject id',
  'Subject',
  'User id',
  'User',
  'Changes',
  'Actor',
  'Who',
  'Request id',
  'Entry id',
]

/** One entry as CSV fields, in HEADER's order. */
function csvFields(row: HistoryRow, names: HistoryNames): string[] {
  const [subject] = subjectOf(row, names)
  const actor = actorOf(row, names)
  const nameOf = valueNames(names)
  return [
    row.at,
    opWords(row.op),
    row.op,
    row.resourceType,
    row.resourceId,
    subject?.label ?? '',
    row.userId ?? '',
    row.userId === null ? '' : (names.users.get(row.userId) ?? ''),
    parseChanges(row.changes)
      .map((change) => changeText(change, nameOf))
      .join('; '),
    actor.kind,
    actor.detail,
    row.requestId ?? '',
    row.id,
  ]
}

/** Up to `n` items from an iterator: the entries of one storage page. */
async function take<T>(rows: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = []
  while (out.length < n) {
    const next = await rows.next()
    if (next.done === true) break
    out.push(next.value)
  }
  return out
}

/**
 * The CSV body: a header row, then the entries matching `filter` newest first, page by page
 * (none when `filter` is null: it named a user or group that does not exist).
 */
export function historyCsv(
  db: Db,
  tenantId: string,
  filter: HistoryFilter | null
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const rows = filter === null ? undefined : historyRows(db, tenantId, filter, CSV_PAGE_SIZE)
  let tenant: TenantNames | undefined
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRecord(HEADER)))
    },
    async pull(controller) {
      const batch = rows === undefined ? [] : await take(rows, CSV_PAGE_SIZE)
      if (batch.length === 0) {
        controller.close()
        return
      }
      tenant ??= await tenantNames(db, tenantId)
      const names = await pageNames(db, tenantId, batch, tenant)
      controller.enqueue(encoder.encode(batch.map((r) => csvRecord(csvFields(r, names))).join('')))
    },
    async cancel() {
      await rows?.return(undefined)
    },
  })
}
