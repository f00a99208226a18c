/**
 * @module The console's page shell: a skip link, the sidebar with the sections, the top bar with
 * the tenant and the signed-in admin (and sign-out), the main landmark, and a polite live region
 * the script uses to announce copies and progress. Pages without a session (sign-in, invitation)
 * use the bare shell.
 */
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { SCRIPT_URL, STYLE_URL } from './assets'
import type { ConsoleSession } from './context'
import { CSRF_FIELD } from './security'

const SECTIONS = [
  { group: 'Provisioning', items: [['/console/integrations', 'Integrations']] },
  {
    group: 'Directory',
    items: [
      ['/console/users', 'Users'],
      ['/console/groups', 'Groups'],
      ['/console/agents', 'User agents'],
      ['/console/dnt', 'Do Not Track'],
      ['/console/deletions', 'Deletions'],
      ['/console/history', 'History'],
    ],
  },
  {
    group: 'Settings',
    items: [
      ['/console/roles', 'Roles'],
      ['/console/admins', 'Admins'],
      ['/console/account', 'Your account'],
    ],
  },
] as const

/** Standards mode: without a doctype, browsers render the pages in quirks mode. */
const DOCTYPE = raw('<!DOCTYPE html>')

function Head(props: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${props.title} · Provisioning console`}</title>
      <link rel="stylesheet" href={STYLE_URL} />
      <script src={SCRIPT_URL} defer />
    </head>
  )
}

/** A page with the console's navigation, for a signed-in admin. */
export function Page(props: {
  title: string
  session: ConsoleSession
  current: string
  children: Child
}) {
  const { admin, tenant, csrfToken } = props.session
  return (
    <>
      {DOCTYPE}
      <html lang="en">
        <Head title={props.title} />
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <div class="shell">
            <nav class="sidebar" aria-label="Console">
              <a class="brand" href="/console/integrations">
                Provisioning
                <small>{tenant.name}</small>
              </a>
              {SECTIONS.map((s) => (
                <>
                  <div class="nav-group">{s.group}</div>
                  <ul class="nav">
                    {s.items.map(([href, label]) => (
                      <li>
                        <a href={href} aria-current={props.current === href ? 'page' : undefined}>
                          {label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              ))}
            </nav>
            <div>
              <header class="topbar">
                <span class="who">
                  {admin.name} · {admin.email} · {admin.role}
                </span>
                <form method="post" action="/console/logout" class="inline">
                  <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                  <button type="submit">Sign out</button>
                </form>
              </header>
              <main id="main" tabindex={-1}>
                {props.children}
              </main>
            </div>
          </div>
          <div id="live-status" class="sr-only" role="status" aria-live="polite" />
        </body>
      </html>
    </>
  )
}

/** A page without navigation: sign-in, invitation, errors before sign-in. */
export function BarePage(props: { title: string; children: Child }) {
  return (
    <>
      {DOCTYPE}
      <html lang="en">
        <Head title={props.title} />
        <body>
          <main id="main" class="auth">
            {props.children}
          </main>
          <div id="live-status" class="sr-only" role="status" aria-live="polite" />
        </body>
      </html>
    </>
  )
}
