/**
 * @module The customer's console under /console: server-rendered pages (hono/jsx) for a tenant's
 * own IT admins. Every page sends strict security headers and is never cached; every page but
 * sign-in and invitation needs a session, and every state-changing request passes the Origin
 * check and carries the session's form token. The console is another door into the same house
 * as the admin API: it reads through storage/ and writes through the tenant's Durable Object,
 * recorded under the admin's identity.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ScimError } from '../../scim/errors'
import { adminsPages } from './pages/admins'
import { agentsPages } from './pages/agents'
import { deletionsPages } from './pages/deletions'
import { dntPages } from './pages/dnt'
import { historyPages } from './pages/history'
import { instancePages } from './pages/instance'
import { integrationsPages } from './pages/integrations'
import { rolesPages } from './pages/roles'
import { assetsRouter } from './assets'
import { accountPages } from './pages/account'
import { authPages } from './pages/auth'
import { PageHead } from './components'
import type { ConsoleContext, ConsoleHonoTypes } from './context'
import { ConsolePageError } from './errors'
import { BarePage, Page } from './layout'
import { consoleHeaders, formToken, noStore, sameOrigin } from './security'
import { requireSession } from './session'
import { groupPages } from './pages/group'
import { groupsPages } from './pages/groups'
import { userPages } from './pages/user'
import { usersPages } from './pages/users'
import { logError } from '../../lib/log'

const TITLES: Partial<Record<number, string>> = {
  400: 'That did not work',
  401: 'Sign in again',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That conflicts with something',
  429: 'Too many requests',
  503: 'Not available',
}

function describe(
  error: unknown,
  requestId: string
): { status: ContentfulStatusCode; message: string } {
  if (error instanceof ConsolePageError) return { status: error.status, message: error.message }
  if (error instanceof ScimError && error.status < 500)
    return { status: error.status, message: error.message }
  if (error instanceof HTTPException && error.status === 403)
    return { status: 403, message: 'This request came from another site and was refused.' }
  logError(error, { requestId })
  return {
    status: 500,
    message: `Something went wrong on our side. Quote ${requestId} to support.`,
  }
}

function errorPage(c: ConsoleContext, status: ContentfulStatusCode, message: string) {
  const title = TITLES[status] ?? 'Something went wrong'
  const body = (
    <>
      <PageHead title={title} lede={message} />
      <p>
        <a href={status === 401 ? '/console/login' : '/console/integrations'}>
          {status === 401 ? 'Sign in' : 'Back to the console'}
        </a>
      </p>
    </>
  )
  const session = c.get('session') as ConsoleContext['var']['session'] | undefined
  return c.html(
    session ? (
      <Page title={title} session={session} current="">
        {body}
      </Page>
    ) : (
      <BarePage title={title}>{body}</BarePage>
    ),
    status
  )
}

export function consoleRouter(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>({ strict: false })
  app.route('/assets', assetsRouter())
  app.use('*', consoleHeaders, noStore)
  app.onError((error, c) => {
    const { status, message } = describe(error, c.var.requestId)
    if (error instanceof ConsolePageError && error.retryAfterS !== undefined)
      c.header('Retry-After', String(error.retryAfterS))
    return errorPage(c, status, message)
  })
  app.notFound((c) => errorPage(c, 404, 'There is no such page in the console.'))
  app.route('/', authPages())
  app.use('*', requireSession, sameOrigin, formToken)
  app.get('/', (c) => c.redirect('/console/integrations', 303))
  app.route('/', accountPages())
  for (const pages of [
    integrationsPages(),
    instancePages(),
    usersPages(),
    userPages(),
    groupsPages(),
    groupPages(),
    adminsPages(),
    dntPages(),
    deletionsPages(),
    agentsPages(),
    rolesPages(),
    historyPages(),
  ])
    app.route('/', pages)
  return app
}
