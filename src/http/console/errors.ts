/**
 * @module Errors a console route raises to answer with a page: a status and a message for the
 * admin. Domain errors (ScimError from the tenant's object) keep their status and message.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class ConsolePageError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    /** Seconds to send as Retry-After (a throttled sign-in). */
    readonly retryAfterS?: number
  ) {
    super(message)
    this.name = 'ConsolePageError'
  }
}
