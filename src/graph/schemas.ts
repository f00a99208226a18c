/**
 * @module Zod schemas of the Microsoft Graph and identity platform bodies the pull sync reads
 * (docs/graph-sync.md §1, §4, §11). Properties Graph may omit or null out (unselected, unset, or
 * the limited-information form of docs/graph-sync.md §2) parse to `null` / `[]`, so consumers see
 * one shape; unknown properties are tolerated and dropped.
 */
import { z } from 'zod'

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null)
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? null)
const texts = z
  .array(z.string())
  .nullish()
  .transform((value) => value ?? [])

/** Token success (v2.0 client credentials). expires_in is a number, a string in the v1 form. */
export const tokenSuccessSchema = z.object({
  token_type: z.string(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  ext_expires_in: z.union([z.number(), z.string()]).optional(),
  access_token: z.string().min(1),
})

/** Token error: `{error, error_description: "AADSTS…: …", error_codes, trace_id, …}`. */
export const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  timestamp: z.string().optional(),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
})

const innerErrorSchema = z.object({
  date: z.string().optional(),
  'request-id': z.string().optional(),
  'client-request-id': z.string().optional(),
})

/** Graph error body; the inner error is spelled `innerError` or `innererror` in the wild. */
export const graphErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional(),
    innerError: innerErrorSchema.optional(),
    innererror: innerErrorSchema.optional(),
  }),
})

/** A group with the properties of GROUP_SELECT. */
export const groupSchema = z.object({
  id: z.string().min(1),
  displayName: text,
  groupTypes: texts,
  securityEnabled: flag,
  mailEnabled: flag,
  membershipRule: text,
})

/** A user with USER_SELECT's properties; all but id may be null (docs/graph-sync.md §2, §5). */
export const userSchema = z.object({
  id: z.string().min(1),
  userPrincipalName: text,
  mail: text,
  employeeId: text,
  displayName: text,
  givenName: text,
  surname: text,
  accountEnabled: flag,
  otherMails: texts,
  proxyAddresses: texts,
  userType: text,
})

const USER_TYPE = '#microsoft.graph.user'
const GROUP_TYPE = '#microsoft.graph.group'

/**
 * One item of a directoryObject collection (`/members`, `/transitiveMembers` without a cast),
 * told apart by `@odata.type`: users, groups, and anything else (devices, contacts, service
 * principals) reduced to its type and id.
 */
export const directoryObjectSchema = z.union([
  userSchema
    .extend({ '@odata.type': z.literal(USER_TYPE) })
    .transform(({ '@odata.type': _type, ...user }) => ({ kind: 'user' as const, user })),
  groupSchema
    .extend({ '@odata.type': z.literal(GROUP_TYPE) })
    .transform(({ '@odata.type': _type, ...group }) => ({ kind: 'group' as const, group })),
  z
    .object({
      '@odata.type': z.string().refine((t) => t !== USER_TYPE && t !== GROUP_TYPE),
      id: z.string().min(1),
    })
    .transform((other) => ({
      kind: 'other' as const,
      odataType: other['@odata.type'],
      id: other.id,
    })),
])

/** A collection page: `value`, `@odata.nextLink` until the last page, `@odata.count` on page 1. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
    '@odata.count': z.number().optional(),
  })
}

export type GraphTokenError = z.output<typeof tokenErrorSchema>
export type GraphErrorBody = z.output<typeof graphErrorSchema>
export type GraphGroup = z.output<typeof groupSchema>
export type GraphUser = z.output<typeof userSchema>
export type GraphDirectoryObject = z.output<typeof directoryObjectSchema>
