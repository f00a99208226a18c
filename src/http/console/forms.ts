/**
 * @module Form bodies of console requests, parsed with zod: a malformed form (a field missing,
 * too long, of the wrong shape) is a 400 page naming the field, never a half-applied action.
 */
import type { z } from 'zod'
import type { ConsoleContext } from './context'
import { ConsolePageError } from './errors'

export async function formOf<T extends z.ZodType>(
  c: ConsoleContext,
  schema: T
): Promise<z.infer<T>> {
  const body = await c.req.parseBody()
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.join('.') ?? 'form'
    throw new ConsolePageError(
      400,
      `The field "${field}" is not valid: ${issue?.message ?? 'malformed'}`
    )
  }
  return parsed.data
}
