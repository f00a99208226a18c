/**
 * @module The admin API's error shape: `{ "error": { "status": 404, "message": "…" } }`. Errors
 * raised by the domain (SCIM errors from the tenant's Durable Object) keep their status.
 */
import { bodyLimit } from 'hono/body-limit'
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

/** Admin and agent API bodies: the largest legitimate one is a batch of 1,000 agent reports. */
export const MAX_ADMIN_BODY_BYTES = 2 * 1024 * 1024

export const jsonBodyLimit = bodyLimit({
  maxSize: MAX_ADMIN_BODY_BYTES,
  onError: () => {
    throw new AdminError(
      413,
      `The request body exceeds the maximum of ${String(MAX_ADMIN_BODY_BYTES)} bytes`
    )
  },
})
