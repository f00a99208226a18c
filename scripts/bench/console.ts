/**
 * The console phase: an IT admin's view of a large tenant. One admin (seeded with a known
 * password before the server starts) signs in like a browser (the login page's form token, the
 * Origin a browser sends, the session cookie), then loads the Users page and searches it by a
 * userName prefix, at the tenant's full size. Its latencies compare with the SCIM lookups of
 * the same run, the floor of a read against the same table.
 */
import { BASE, REQUEST_TIMEOUT_MS, userName } from './config.ts'
import { readPhase, spreadOver } from './lookups.ts'
import type { PhaseResult } from './measure.ts'

export const CONSOLE_ADMIN = {
  email: 'bench.admin@contoso.com',
  name: 'Bench admin',
  password: 'bench console password 1',
}

/** The cookies a response sets, as `name=value` pairs (attributes dropped). */
const cookiesOf = (res: Response): string[] =>
  res.headers.getSetCookie().map((h) => h.split(';')[0] ?? '')

async function get(path: string, cookie?: string): Promise<{ res: Response; html: string }> {
  const res = await fetch(`${BASE}${path}`, {
    headers: cookie ? { Cookie: cookie } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return { res, html: await res.text() }
}

/** Signs the bench admin in; answers the Cookie header of the session. */
export async function consoleSignIn(): Promise<string> {
  const { res: page, html } = await get('/console/login')
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  const form = new URLSearchParams({ email: CONSOLE_ADMIN.email, password: CONSOLE_ADMIN.password })
  if (token) form.set('_csrf', token)
  const res = await fetch(`${BASE}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE,
      Cookie: cookiesOf(page).join('; '),
    },
    body: form,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const cookies = cookiesOf(res)
  if (res.status !== 303 || cookies.length === 0) {
    throw new Error(`console sign-in: expected 303 with a session cookie, got ${res.status}`)
  }
  return [...cookiesOf(page), ...cookies].join('; ')
}

/** Loads a console page `count` times (concurrency as the lookups); checks rows came back. */
function pagePhase(
  name: string,
  cookie: string,
  pathOf: (k: number) => string,
  expectRows: (rows: number) => boolean
): Promise<PhaseResult> {
  return readPhase(name, async (k) => {
    const path = pathOf(k)
    const { res, html } = await get(path, cookie)
    if (res.status !== 200) throw new Error(`GET ${path} -> ${res.status}`)
    const rows = Number(/id="results" data-count="(\d+)"/.exec(html)?.[1] ?? 'NaN')
    if (!expectRows(rows)) throw new Error(`GET ${path} listed ${rows} users`)
  })
}

/** The Users page: its first page, by userName. */
export const usersPagePhase = (name: string, cookie: string): Promise<PhaseResult> =>
  pagePhase(
    name,
    cookie,
    () => '/console/users',
    (rows) => rows > 0
  )

/**
 * A search as the admin types it: the start of a userName (`bench.user1234` matches user 1234
 * and users 12340–12349; a shorter prefix matches thousands and shows their first page), for
 * users spread over `present`.
 */
export const usersSearchPhase = (
  name: string,
  cookie: string,
  present: number[]
): Promise<PhaseResult> =>
  pagePhase(
    name,
    cookie,
    (k) => {
      const i = spreadOver(present, k)
      return `/console/users?q=${encodeURIComponent(userName(i).replace(/@.*$/, ''))}`
    },
    (rows) => rows >= 1
  )
