/**
 * @module zod schemas for the query parameters and the SearchRequest body of list operations
 * (RFC 7644 §3.4.2, §3.4.3) and RFC 9865 cursors. Paging values are checked and clamped later
 * (src/scim/paging.ts); unknown parameters (Entra's `aadOptscim062020`) are ignored.
 */
import { z } from 'zod'

/** Checked and clamped by pageWindow (src/scim/paging.ts), which knows the RFC's rules. */
const pagingValue = z.union([z.number(), z.string()])

const listFields = {
  filter: z.string().optional(),
  startIndex: pagingValue.optional(),
  count: pagingValue.optional(),
  sortBy: z.string().optional(),
  sortOrder: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['ascending', 'descending']))
    .optional(),
  attributes: z.union([z.string(), z.array(z.string())]).optional(),
  excludedAttributes: z.union([z.string(), z.array(z.string())]).optional(),
  cursor: z.string().optional(),
}

export const ListQuerySchema = z.object(listFields)

export const SearchRequestSchema = z.object({
  schemas: z.array(z.string()).optional(),
  ...listFields,
})

export type ListParams = z.infer<typeof ListQuerySchema>
