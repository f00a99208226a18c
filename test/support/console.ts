/**
 * Helpers for console tests: a browser-like client that keeps its cookies, sends the Origin a
 * browser sends with a form, and reads the session's form token from the pages it gets; plus a
 * way to make a tenant's first owner through the admin API and sign them in.
 */
import { admin, call, ORIGIN } from './scim'

export const PASSWORD = 'correct horse battery staple'

export interface Browser {
  get(path: string): Promise<Response>
  /**
   * Posts a form; `_csrf` is added from the last page read unless given. A list is sent as the
   * field repeated, as a browser sends checkboxes sharing a name.
   */
  post(
    path: string,
    fields: Record<string, string | readonly string[]>,
    init?: { origin?: string | null }
  ): Promise<Response>
  cookie(name: string): string | undefined
  csrf(): string | undefined
  setCookie(header: string): void
}

export function browser(): Browser {
  const jar = new Map<string, string>()
  let token: string | undefined
  const remember = (res: Response) => {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const eq = pair?.indexOf('=') ?? -1
      if (!pair || eq < 0) continue
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (value === '' || /max-age=0/i.test(header)) jar.delete(name)
      else jar.set(name, value)
    }
  }
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const read = async (res: Response) => {
    remember(res)
    const type = res.headers.get('Content-Type') ?? ''
    if (type.includes('text/html')) {
      const html = await res.clone().text()
      token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? token
    }
    return res
  }
  return {
    get: async (path) =>
      read(await call(path, { headers: { Cookie: cookieHeader() }, redirect: 'manual' })),
    post: async (path, fields, init = {}) => {
      const origin = init.origin === undefined ? ORIGIN : init.origin
      const body = new URLSearchParams(token && !('_csrf' in fields) ? { _csrf: token } : {})
      for (const [name, value] of Object.entries(fields))
        for (const v of typeof value === 'string' ? [value] : value) body.append(name, v)
      return read(
        await call(path, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            Cookie: cookieHeader(),
            'Content-Type': 'application/x-www-form-urlencoded',
            ...(origin === null ? {} : { Origin: origin }),
          },
          body,
        })
      )
    },
    cookie: (name) => jar.get(name),
    csrf: () => token,
    setCookie: (header) => remember(new Response(null, { headers: { 'Set-Cookie': header } })),
  }
}

/** Invites an admin through the admin API; answers the invitation path. */
export async function inviteAdmin(
  tenantId: string,
  who: { email: string; name?: string; role?: 'owner' | 'admin' }
): Promise<string> {
  const res = await admin('POST', `/tenants/${tenantId}/admins`, {
    email: who.email,
    name: who.name ?? 'Ada Admin',
    role: who.role ?? 'owner',
  })
  if (res.status !== 201)
    throw new Error(`invite failed: ${String(res.status)} ${await res.text()}`)
  const body = await res.json<{ invitation: { url: string } }>()
  return new URL(body.invitation.url).pathname
}

/** A browser signed in as a new admin of the tenant (invited, password set, signed in). */
export async function signedIn(
  tenantId: string,
  who: { email: string; role?: 'owner' | 'admin' }
): Promise<Browser> {
  const path = await inviteAdmin(tenantId, who)
  const b = browser()
  await b.get(path)
  const set = await b.post(path, { password: PASSWORD, confirm: PASSWORD })
  if (set.status !== 303) throw new Error(`set password failed: ${String(set.status)}`)
  await b.get('/console/login')
  const res = await b.post('/console/login', { email: who.email, password: PASSWORD })
  if (res.status !== 303)
    throw new Error(`sign-in failed: ${String(res.status)} ${await res.text()}`)
  return b
}

/** A page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ')
    .trim()
}
