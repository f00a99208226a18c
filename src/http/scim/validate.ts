/**
 * @module zValidator with a hook that throws a SCIM error, because @hono/zod-validator's own
 * failure answer is zod's result as a plain 400 JSON body, which no SCIM client understands.
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { badRequest, type ScimType } from '../../scim/errors'

export function scimValidator<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
  scimType: ScimType = 'invalidValue'
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? `"${issue.path.join('.')}": ` : ''
      throw badRequest(
        issue?.path[0] === 'count' ? 'invalidCount' : scimType,
        `Invalid ${target}: ${where}${issue?.message ?? 'malformed'}`
      )
    }
  })
}
