/**
 * @module Gives every request an id (echoed in X-Request-Id, quoted in 500 details) and writes
 * one structured log line when it finishes: a JSON object with its level (`info`, or `error` for
 * a 5xx, written with the console method of that level so a log pipeline that sorts by level
 * needs no parsing). Info lines are written in small batches (../../lib/request-log.ts); the
 * path is cut from the URL the runtime already parsed.
 */
import { createMiddleware } from 'hono/factory'
import type { HonoTypes } from '../../env'
import { logRequestError, logRequestLine } from '../../lib/request-log'

const INCOMING = /^[A-Za-z0-9._-]{8,128}$/
/** A client's User-Agent is logged up to this length, so no client can bloat a batch of lines. */
const USER_AGENT_MAX = 256

/** The path of an absolute URL as the runtime normalized it (what `new URL(url).pathname` is). */
export function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const query = url.indexOf('?', start)
  return url.slice(start, query < 0 ? undefined : query)
}

export const requestId = createMiddleware<HonoTypes>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id')
  const id = incoming && INCOMING.test(incoming) ? incoming : crypto.randomUUID()
  c.set('requestId', id)
  const started = Date.now()
  await next()
  c.res.headers.set('X-Request-Id', id)
  const status = c.res.status
  const caller = c.get('caller') as HonoTypes['Variables']['caller'] | undefined
  const line = JSON.stringify({
    level: status >= 500 ? 'error' : 'info',
    requestId: id,
    method: c.req.method,
    path: pathOf(c.req.url),
    status,
    ms: Date.now() - started,
    tenantId: caller?.tenantId,
    keyId: caller?.keyId,
    userAgent: c.req.header('User-Agent')?.slice(0, USER_AGENT_MAX),
  })
  if (status >= 500) logRequestError(line)
  else logRequestLine(line, (p) => c.executionCtx.waitUntil(p))
})
