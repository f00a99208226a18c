/**
 * @module The admin API's error shape: `{ "error": { "status": 404, "message": "…" } }`. Errors
 * raised by the domain (SCIM errors from the tenant's Durable Object) keep their status.
 */
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ScimError } from '../../scim/errors'

export class AdminError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string
  ) {
    super(message)
    this.name = 'AdminError'
  }
}

export function adminErrorBody(
  error: unknown,
  requestId: string
): { status: ContentfulStatusCode; body: unknown } {
  const known =
    error instanceof AdminError || (error instanceof ScimError && error.status < 500)
      ? { status: error.status, message: error.message }
      : error instanceof HTTPException && error.status < 500
        ? { status: error.status, message: error.message || 'Bad request' }
        : undefined
  if (known) return { status: known.status, body: { error: known } }
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      error: error instanceof Error ? error.stack : String(error),
    })
  )
  return {
    status: 500,
    body: { error: { status: 500, message: `Internal error; request id ${requestId}` } },
  }
}
