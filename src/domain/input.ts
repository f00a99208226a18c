/**
 * @module Input of the configuration services (tenants, instances, keys). Every caller, the
 * operator's admin API or the customer's console, validates with the same zod schemas; the
 * services parse again inside the tenant's Durable Object, so a rule holds whoever calls.
 */
import type { z } from 'zod'
import { badRequest } from '../scim/errors'

/** The parsed value, or a 400 naming the first offending field and why. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  throw badRequest('invalidValue', `${where}${issue?.message ?? 'malformed input'}`)
}
