/**
 * @module The console's defences against the browser being turned on it: strict security
 * headers with a Content-Security-Policy that allows no inline script or style and no framing
 * (hono/secure-headers), an Origin / Sec-Fetch-Site check on every state-changing request
 * (hono/csrf), and a per-session token that every form posts back.
 */
import { csrf } from 'hono/csrf'
import { createMiddleware } from 'hono/factory'
import { secureHeaders } from 'hono/secure-headers'
import { constantTimeEqual } from '../../lib/secrets'
import type { ConsoleHonoTypes } from './context'
import { ConsolePageError } from './errors'

/** The field every console form carries. */
export const CSRF_FIELD = '_csrf'

export const consoleHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: 'DENY',
  // Invitation links carry a secret in the path: never send it on as a referrer.
  referrerPolicy: 'no-referrer',
  strictTransportSecurity: 'max-age=63072000; includeSubDomains',
  crossOriginOpenerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
})

/** Pages show a tenant's data: never cache them. */
export const noStore = createMiddleware<ConsoleHonoTypes>(async (c, next) => {
  await next()
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
})

/** Refuses a state-changing request that another site's page made the browser send. */
export const sameOrigin = csrf()

/** Refuses a form without the session's token (after `requireSession`). */
export const formToken = createMiddleware<ConsoleHonoTypes>(async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const body = await c.req.parseBody()
    const given = body[CSRF_FIELD]
    const ok =
      typeof given === 'string' && (await constantTimeEqual(given, c.var.session.csrfToken))
    if (!ok)
      throw new ConsolePageError(
        403,
        'This form has expired or did not come from this console. Go back, reload the page and try again.'
      )
  }
  await next()
})
