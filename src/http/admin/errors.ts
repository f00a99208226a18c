/**
 * @module The admin API's error shape: `{ "error": { "status": 404, "message": "…" } }`.
 */
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class AdminError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string
  ) {
    super(message)
    this.name = 'AdminError'
  }
}

export function adminErrorBody(error: unknown, requestId: string): { status: ContentfulStatusCode; body: unknown } {
  if (error instanceof AdminError) return { status: error.status, body: { error: { status: error.status, message: error.message } } }
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status, body: { error: { status: error.status, message: error.message || 'Bad request' } } }
  }
  console.error(JSON.stringify({ level: 'error', requestId, error: error instanceof Error ? error.stack : String(error) }))
  return { status: 500, body: { error: { status: 500, message: `Internal error; request id ${requestId}` } } }
}
