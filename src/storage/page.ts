/**
 * @module Keyset pages for the admin API and the console: a read fetches one row more than its
 * limit to know whether another page follows, and hands back an opaque cursor naming the last
 * row's sort key. The next read continues strictly after that key, so pages never repeat or
 * skip a row, whatever is written in between.
 */
import { base64Url, fromBase64Url } from '../lib/ids'
import { badRequest } from '../scim/errors'

/** One page of a list read, and the cursor of the next page (null on the last page). */
export interface Page<T> {
  rows: T[]
  nextCursor: string | null
}

/** Paging input of every list read: how many rows, and where to continue. */
export interface PageInput {
  limit: number
  cursor?: string | undefined
}

/** A cursor holding `value` (base64url of its JSON, so any text survives a query string). */
export const encodeJsonCursor = (value: unknown): string =>
  base64Url(new TextEncoder().encode(JSON.stringify(value)))

/** The value a cursor holds; undefined for text that is not one of ours. */
export function decodeJsonCursor(cursor: string): unknown {
  const bytes = fromBase64Url(cursor)
  try {
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as unknown) : undefined
  } catch {
    return undefined
  }
}

/** A cursor for a sort key. */
export const encodeKeyCursor = (key: string): string => encodeJsonCursor(key)

/** The sort key a cursor names; a cursor that is not one of ours is a 400. */
export function decodeKeyCursor(cursor: string): string {
  const key = decodeJsonCursor(cursor)
  if (typeof key !== 'string')
    throw badRequest(
      'invalidCursor',
      `cursor: "${cursor.slice(0, 100)}" is not a cursor of this list; pass the nextCursor of the previous page, or no cursor for the first page`
    )
  return key
}

/** Cuts `limit + 1` rows read to a page, with the cursor of the last row when more follow. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const kept = rows.slice(0, limit)
  const last = kept.at(-1)
  return {
    rows: kept,
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  }
}

/** The page of keyset rows read (`limit + 1` of them, each with its `sortKey`), shaped by `toRow`. */
export function keyPage<R extends { sortKey: string }, T>(
  rows: R[],
  limit: number,
  toRow: (row: R) => T
): Page<T> {
  const page = pageOf(rows, limit, (r) => encodeKeyCursor(r.sortKey))
  return { rows: page.rows.map(toRow), nextCursor: page.nextCursor }
}
