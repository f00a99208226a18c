/**
 * @module Form bodies and query strings of console requests, parsed with zod: a malformed one (a
 * field missing, too long, of the wrong shape) is a 400 page naming the field, never a
 * half-applied action or a silently reset list.
 */
import type { z } from 'zod'
import type { ConsoleContext } from './context'
import { ConsolePageError } from './errors'

function parsedOr400<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue?.path.join('.') || what
  throw new ConsolePageError(400, `"${field}" is not valid: ${issue?.message ?? 'malformed'}`)
}

export async function formOf<T extends z.ZodType>(
  c: ConsoleContext,
  schema: T
): Promise<z.infer<T>> {
  return parsedOr400(schema, await c.req.parseBody(), 'form')
}

/** A form whose fields may repeat (checkboxes sharing a name): repeated fields arrive as lists. */
export async function formOfAll<T extends z.ZodType>(
  c: ConsoleContext,
  schema: T
): Promise<z.infer<T>> {
  return parsedOr400(schema, await c.req.parseBody({ all: true }), 'form')
}

export function queryOf<T extends z.ZodType>(c: ConsoleContext, schema: T): z.infer<T> {
  return parsedOr400(schema, c.req.query(), 'query')
}
