/**
 * @module Query parameters of the admin API's keyset-paged lists (groups, roles, users): `limit`,
 * the opaque `cursor` of the previous page (it carries a sort key such as a userName, so it may
 * be longer than an id) and an optional prefix search `q`.
 */
import { z } from 'zod'
import { PageQuery } from './context'

export const ListQuery = PageQuery.extend({
  cursor: z
    .string()
    .min(1, 'must be the nextCursor of the previous page; leave it out for the first page')
    .max(4096)
    .optional(),
  q: z.string().max(256).optional(),
})
