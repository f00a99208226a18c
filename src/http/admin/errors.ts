/**
 * @module The admin API's error shape: `{ "error": { "status": 404, "message": "…" } }`. Errors
 * raised by the domain (SCIM errors from the tenant's Durable Object) keep their status and
 * message, a 503 as much as a 4xx; only internal errors become a bare 500.
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

/** What an operator is told about an error; undefined for an internal error. */
function operatorFacing(
  error: unknown
): { status: ContentfulStatusCode; message: string } | undefined {
  if (error instanceof AdminError) return { status: error.status, message: error.message }
  // The domain's errors say what to do, 5xx included (a 503 names the missing secret); its 500
  // is an internal error the tenant object has logged, told to the operator by request id only.
  if (error instanceof ScimError && error.status !== 500)
    return { status: error.status, message: error.message }
  if (error instanceof HTTPException && error.status < 500)
    return { status: error.status, message: error.message || 'Bad request' }
  return undefined
}

/**
 * The response to an error: its own status and message when it is meant for the operator,
 * else a 500 naming only the request id (the error is logged with it, never answered).
 */
export function adminErrorBody(
  error: unknown,
  requestId: string
): { status: ContentfulStatusCode; body: unknown } {
  const known = operatorFacing(error)
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
const MAX_ADMIN_BODY_BYTES = 2 * 1024 * 1024

export const jsonBodyLimit = bodyLimit({
  maxSize: MAX_ADMIN_BODY_BYTES,
  onError: () => {
    throw new AdminError(
      413,
      `The request body exceeds the maximum of ${String(MAX_ADMIN_BODY_BYTES)} bytes`
    )
  },
})
