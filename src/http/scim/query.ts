/**
 * @module zod schemas for the query parameters and the SearchRequest body of list operations
 * (RFC 7644 §3.4.2, §3.4.3) and RFC 9865 cursors. Out-of-range paging values are clamped as the
 * RFC says rather than rejected; unknown parameters (Entra's `aadOptscim062020`) are ignored.
 */
import { z } from 'zod'

const integerLike = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, 'must be an integer'),
  ])
  .transform(Number)

const listFields = {
  filter: z.string().optional(),
  startIndex: integerLike.optional(),
  count: integerLike.optional(),
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
