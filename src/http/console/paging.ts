/**
 * @module Paging of console lists: `?limit=` and `?cursor=` (the last id of the previous page),
 * with defaults a page of a console wants; a malformed value is a 400 page, not a silent reset.
 */
import { z } from 'zod'

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'is not a cursor of this list')
    .optional(),
})

/** The cursor of the next page, or null when this page is the last. */
export function page<T>(
  items: readonly T[],
  limit: number,
  idOf: (item: T) => string
): string | null {
  const last = items.at(-1)
  return items.length === limit && last !== undefined ? idOf(last) : null
}
