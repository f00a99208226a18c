/**
 * @module Console sessions. The cookie holds `<tenant id>.<secret>` (a 256-bit random secret),
 * signed with CONSOLE_SESSION_SECRET (hono/cookie) so a forged cookie is refused before any
 * database read; only the secret's SHA-256 is stored. A session ends 12 hours after its last use
 * or 7 days after sign-in, whichever comes first; a password change ends every session of the
 * admin. The cookie is `HttpOnly; Secure; SameSite=Lax; Path=/console`.
 */
import type { Context } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../domain/admins'
import { regionOfTenant } from '../../model/tenant'
import { sha256Hex } from '../../lib/secrets'
import { regionDb } from '../../storage/db'
import { sessionByHash, touchSession } from '../../storage/repos/admins'
import type { ConsoleHonoTypes } from './context'
import { ConsolePageError } from './errors'

const SESSION_COOKIE = 'console_session'
/** lastSeenAt is written at most this often per session, off the request's critical path. */
const TOUCH_INTERVAL_MS = 5 * 60_000

/** The cookie signing secret; the console is off without it. */
export function cookieSecret(c: Context<ConsoleHonoTypes>): string {
  const secret = c.env.CONSOLE_SESSION_SECRET
  if (!secret || secret.length < 32)
    throw new ConsolePageError(503, 'The console is not configured: set CONSOLE_SESSION_SECRET')
  return secret
}

/** The form token of a session: derived from its secret, so it needs no storage of its own. */
const csrfTokenOf = (secret: string): Promise<string> => sha256Hex(`csrf:${secret}`)

export async function setSessionCookie(
  c: Context<ConsoleHonoTypes>,
  tenantId: string,
  secret: string
): Promise<void> {
  await setSignedCookie(c, SESSION_COOKIE, `${tenantId}.${secret}`, cookieSecret(c), {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/console',
    maxAge: SESSION_MAX_MS / 1000,
  })
}

export function clearSessionCookie(c: Context<ConsoleHonoTypes>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: true, httpOnly: true })
}

/** The tenant id and secret a well-formed, correctly signed cookie carries. */
async function cookieParts(
  c: Context<ConsoleHonoTypes>
): Promise<{ tenantId: string; secret: string } | undefined> {
  const value = await getSignedCookie(c, cookieSecret(c), SESSION_COOKIE)
  if (!value) return undefined
  const dot = value.indexOf('.')
  const tenantId = value.slice(0, dot)
  const secret = value.slice(dot + 1)
  return dot > 0 && regionOfTenant(tenantId) && secret.length >= 43
    ? { tenantId, secret }
    : undefined
}

/** The signed-in session, or undefined (no cookie, forged, unknown, idle or expired). */
async function loadSession(c: Context<ConsoleHonoTypes>, nowMs: number) {
  const parts = await cookieParts(c)
  const region = parts && regionOfTenant(parts.tenantId)
  if (!parts || !region) return undefined
  const db = regionDb(c.env, region)
  const idHash = await sha256Hex(parts.secret)
  const found = await sessionByHash(db, parts.tenantId, idHash)
  if (!found) return undefined
  const { session, admin, tenant } = found
  if (Date.parse(session.expiresAt) <= nowMs) return undefined
  if (Date.parse(session.lastSeenAt) + SESSION_IDLE_MS <= nowMs) return undefined
  if (nowMs - Date.parse(session.lastSeenAt) > TOUCH_INTERVAL_MS)
    c.executionCtx.waitUntil(touchSession(db, tenant.id, idHash, new Date(nowMs).toISOString()))
  return { admin, tenant, db, idHash, csrfToken: await csrfTokenOf(parts.secret) }
}

/**
 * Requires a session: a page without one redirects to the sign-in page (and back afterwards), an
 * action answers 401.
 */
export const requireSession = createMiddleware<ConsoleHonoTypes>(async (c, next) => {
  const session = await loadSession(c, Date.now())
  if (!session) {
    clearSessionCookie(c)
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const url = new URL(c.req.url)
      const back = encodeURIComponent(url.pathname + url.search)
      return c.redirect(`/console/login?next=${back}`, 303)
    }
    throw new ConsolePageError(401, 'Your session has ended. Sign in again to continue.')
  }
  c.set('session', session)
  await next()
})
