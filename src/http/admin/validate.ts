/**
 * @module zValidator for the admin API: a failed validation is a 400 with the first issue.
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { AdminError } from './errors'

export function adminValidator<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
      throw new AdminError(400, `Invalid ${target}: ${where}${issue?.message ?? 'malformed'}`)
    }
  })
}
