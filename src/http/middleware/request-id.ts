/**
 * @module Gives every request an id (echoed in X-Request-Id, quoted in 500 details) and writes
 * one structured log line when it finishes.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../../env'

const INCOMING = /^[A-Za-z0-9._-]{8,128}$/

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id')
  const id = incoming && INCOMING.test(incoming) ? incoming : crypto.randomUUID()
  c.set('requestId', id)
  const started = Date.now()
  await next()
  c.res.headers.set('X-Request-Id', id)
  const caller = c.get('caller') as AppEnv['Variables']['caller'] | undefined
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? 'error' : 'info',
      requestId: id,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      ms: Date.now() - started,
      tenantId: caller?.tenantId,
      keyId: caller?.keyId,
      userAgent: c.req.header('User-Agent'),
    })
  )
})
