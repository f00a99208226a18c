/**
 * Helpers for "Connect to Microsoft Entra ID" tests: a consent directory sync created in the
 * console, the redirects of connecting followed step by step as a browser would (the console's
 * redirect to the admin consent endpoint, the fake identity platform's answer, the console's
 * redirect to the OpenID Connect sign-in, the fake's answer with a code), and what the admin API
 * shows of the instance and its consent history afterwards.
 */
import { env } from 'cloudflare:workers'
import type { Browser } from './console'
import { adminJson, type HistoryEntry } from './directory'
import { CONSENT_CALLBACK, openOnFake } from './graph'
import { createTenant, ORIGIN } from './scim'
import { signedIn } from './console'

export const NEW_PULL = '/console/integrations/new/entra-pull'

/** The fake identity platform's base URL, as the Worker is configured with it. */
export const LOGIN = env.GRAPH_TOKEN_URL ?? ''

interface InstanceShown {
  instance: { settings: { auth: string; directoryId: string | null; clientId: string | null } }
}

/** Creates a consent directory sync in the console; answers its id and page path. */
export async function createConsentSync(b: Browser, name = 'Contoso directory') {
  await b.get(NEW_PULL)
  const res = await b.post(NEW_PULL, {
    name,
    groupsParent: 'ActivTrak Groups',
    dntParent: 'ActivTrak Do Not Track',
    deleteParent: 'ActivTrak Delete',
    intervalHours: '24',
    directoryId: '',
    clientId: '',
    clientSecret: '',
    auth: 'consent',
  })
  if (res.status !== 303) throw new Error(`create: ${String(res.status)} ${await res.text()}`)
  const location = res.headers.get('Location') ?? ''
  const path = location.split('?')[0] ?? ''
  return { id: path.split('/').pop() ?? '', path, location }
}

/** A tenant whose admin created a consent sync. */
export async function waitingSync(email: string) {
  const tenant = await createTenant()
  const b = await signedIn(tenant.id, { email })
  const { id, path } = await createConsentSync(b)
  return { tenant, b, id, path }
}

/** The Location of a 303, or an error naming what came instead. */
async function seeOther(res: Response, what: string): Promise<URL> {
  if (res.status !== 303) throw new Error(`${what}: ${String(res.status)} ${await res.text()}`)
  return new URL(res.headers.get('Location') ?? '', ORIGIN)
}

/** "Connect to Microsoft Entra ID": the console's redirect to the admin consent endpoint. */
export const connect = async (b: Browser, instanceId: string): Promise<URL> =>
  seeOther(await b.get(`/console/integrations/${instanceId}/connect`), 'connect')

/** What the fake identity platform sends back for a URL: the callback path with its query. */
export async function answerOf(url: URL | string): Promise<string> {
  const res = await openOnFake(url.toString())
  if (res.status !== 302) throw new Error(`fake: ${String(res.status)} ${await res.text()}`)
  const back = new URL(res.headers.get('Location') ?? '')
  if (`${back.origin}${back.pathname}` !== CONSENT_CALLBACK) throw new Error(back.toString())
  return `${back.pathname}${back.search}`
}

/** The console's answer to the consent answer: its redirect to the sign-in. */
export const signInUrlOf = async (b: Browser, consentAnswer: string): Promise<URL> =>
  seeOther(await b.get(consentAnswer), 'consent answer')

/** Connects from "Connect" to the final answer of the sign-in callback. */
export async function connectThrough(b: Browser, instanceId: string): Promise<Response> {
  const signIn = await signInUrlOf(b, await answerOf(await connect(b, instanceId)))
  return b.get(await answerOf(signIn))
}

/** The query parameters of a callback path. */
export const paramsOf = (path: string): Record<string, string> =>
  Object.fromEntries(new URL(path, ORIGIN).searchParams)

/** A callback path of our own making, as a forged or altered redirect would carry. */
export const callback = (params: Record<string, string>) =>
  `/console/integrations/consent/callback?${new URLSearchParams(params).toString()}`

/** The pull settings the admin API shows of an instance. */
export const settingsOf = async (tenantId: string, instanceId: string) =>
  (await adminJson<InstanceShown>('GET', `/tenants/${tenantId}/instances/${instanceId}`)).instance
    .settings

/** The instance's `instance.consent` history entries, newest first. */
export async function consentHistory(tenantId: string, instanceId: string) {
  const { entries } = await adminJson<{ entries: HistoryEntry[] }>(
    'GET',
    `/tenants/${tenantId}/history?limit=100&op=instance.consent`
  )
  return entries.filter((e) => e.resourceId === instanceId)
}
