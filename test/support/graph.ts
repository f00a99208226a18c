/**
 * Helpers for pull sync tests: a directory of our own in the fake Graph (driven over its control
 * API through the GRAPH_FETCHER binding, as a separate service would be), a pull instance for it,
 * "sync now" run to its end on the tenant's Durable Object alarm, and a controlled clock shared
 * by the service (the Worker and its Durable Objects run in this isolate, so they read the
 * test's Date) and the directory's faults.
 */
import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { onTestFinished, vi } from 'vitest'
import contoso from '../fakes/graph/fixtures/contoso.json'
import type { SyncRun } from '../../src/sync/report'
import { adminJson, reportAgents } from './directory'
import { createTenant, json, ORIGIN, scimClient, type TestTenant } from './scim'

export const CONTOSO = contoso
export const GROUP_ID = (n: number) => `20000000-0000-4000-a000-${String(n).padStart(12, '0')}`
export const USER_ID = (n: number) => `10000000-0000-4000-a000-${String(n).padStart(12, '0')}`

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const fetcher = env.GRAPH_FETCHER
  if (!fetcher) throw new Error('GRAPH_FETCHER binding missing')
  const res = await fetcher.fetch(`https://graph.fake.test/_fake${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`fake ${method} ${path}: ${String(res.status)} ${text}`)
  return text ? (JSON.parse(text) as unknown) : null
}

/** Loads the contoso fixture (or a variant) as a new directory; returns its id. */
export async function newDirectory(fixture: Record<string, unknown> = contoso): Promise<string> {
  const id = crypto.randomUUID()
  await control('PUT', `/directories/${id}`, { ...fixture, directoryId: id })
  return id
}

export const mutate = (directoryId: string, commands: unknown[]) =>
  control('PATCH', `/directories/${directoryId}`, { commands })
export const setFaults = (directoryId: string, faults: Record<string, unknown>) =>
  control('PUT', `/directories/${directoryId}/faults`, faults)

/** The operator's multi-tenant app: the Worker's ENTRA_APP_CLIENT_ID / ENTRA_APP_CLIENT_SECRET. */
export function operatorApp(): { clientId: string; clientSecret: string } {
  const clientId = env.ENTRA_APP_CLIENT_ID
  const clientSecret = env.ENTRA_APP_CLIENT_SECRET
  if (!clientId || !clientSecret) throw new Error('ENTRA_APP_CLIENT_ID / _SECRET bindings missing')
  return { clientId, clientSecret }
}

/** The console's admin consent callback, as the operator registers it on the app. */
export const CONSENT_CALLBACK = `${ORIGIN}/console/integrations/consent/callback`

/** Registers the operator's app in the fake with the console's callback as redirect URI. */
export async function registerOperatorApp(): Promise<void> {
  const { clientId, clientSecret } = operatorApp()
  await control('PUT', `/apps/${clientId}`, { clientSecret, redirectUris: [CONSENT_CALLBACK] })
}

/** The admin who consents and stays signed in (test/fakes/graph/consent.ts consenterSchema). */
export interface SignedInAdmin {
  directoryId: string
  preferredUsername?: string
  /** Role template ids; null: the ID token carries no `wids`. Default: Global Administrator. */
  wids?: readonly string[] | null
  /** A silent sign-in answers interaction_required. */
  requiresInteraction?: boolean
  /** Claims the ID tokens carry in place of the fake's own. */
  idTokenClaims?: Record<string, unknown>
}

/** Who answers the next admin consent prompts and signs in: an admin of a directory, or a refusal. */
export const chooseConsenter = (
  answer: SignedInAdmin | { decline: true; errorDescription?: string }
) => control('PUT', `/apps/${operatorApp().clientId}/consenter`, answer)

/** Opens a URL of the fake identity platform as a browser would, without following redirects. */
export async function openOnFake(url: string): Promise<Response> {
  const fetcher = env.GRAPH_FETCHER
  if (!fetcher) throw new Error('GRAPH_FETCHER binding missing')
  return fetcher.fetch(url, { redirect: 'manual' })
}

/** Pins the clock the directory's faults (the request budget) read. */
const pinClock = (directoryId: string, atMs: number | null) =>
  control('PUT', `/directories/${directoryId}/clock`, { atMs })

/**
 * Freezes the service's clock at `startMs` for the rest of the test (timers stay real); returns
 * a setter that moves the service and, if given, a directory's fake clock together.
 */
export function controlTime(startMs: number, directoryId?: string) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(startMs)
  onTestFinished(() => {
    vi.useRealTimers()
  })
  return async (atMs: number): Promise<void> => {
    vi.setSystemTime(atMs)
    if (directoryId !== undefined) await pinClock(directoryId, atMs)
  }
}

export interface FakeStats {
  tokenRequests: number
  graphRequests: number
  byStatus: Record<string, number>
  log: { kind: string; method: string; path: string; status: number }[]
}

export const stats = async (directoryId: string) =>
  (await control('GET', `/directories/${directoryId}/stats`)) as FakeStats

export interface PullOptions {
  groupsParent?: string
  dntParent?: string | null
  deleteParent?: string | null
  syncAttributes?: boolean
  clientSecret?: string
  intervalHours?: number
}

export async function createPullInstance(
  tenantId: string,
  directoryId: string,
  options: PullOptions = {}
): Promise<string> {
  const body = {
    name: `Entra pull ${directoryId.slice(0, 8)}`,
    kind: 'entra-pull',
    directoryId,
    clientId: contoso.clientId,
    clientSecret: contoso.clientSecret,
    groupsParent: 'ActivTrak Groups',
    dntParent: 'ActivTrak Do Not Track',
    deleteParent: 'ActivTrak Delete',
    ...options,
  }
  return (
    await adminJson<{ instance: { id: string } }>(
      'POST',
      `/tenants/${tenantId}/instances`,
      body,
      201
    )
  ).instance.id
}

/** A run report as the admin API shows it: the service's own record. */
export type RunView = SyncRun

/** `GET …/sync/runs`: the reports, newest first, and when the next run is due. */
export const syncRuns = (tenantId: string, instanceId: string, limit = 100) =>
  adminJson<{ runs: RunView[]; nextRunAt: string | null }>(
    'GET',
    `/tenants/${tenantId}/instances/${instanceId}/sync/runs?limit=${String(limit)}`
  )

export async function latestRun(tenantId: string, instanceId: string): Promise<RunView> {
  const { runs } = await syncRuns(tenantId, instanceId, 1)
  if (!runs[0]) throw new Error('no run')
  return runs[0]
}

/** Runs the tenant's alarm step by step (at most `maxSteps`) until the run leaves "running". */
export async function finishRun(
  tenantId: string,
  instanceId: string,
  maxSteps = 500
): Promise<RunView> {
  const stub = env.TENANT_WRITER.getByName(tenantId)
  for (let i = 0; i < maxSteps; i++) {
    const run = await latestRun(tenantId, instanceId)
    if (run.status !== 'running') return run
    await runDurableObjectAlarm(stub)
  }
  return latestRun(tenantId, instanceId)
}

/**
 * Runs the tenant's alarm until the run leaves "running", moving the controlled clock (see
 * controlTime) to each time the run waits for, as the alarm would fire then.
 */
export async function finishRunOnClock(
  tenantId: string,
  instanceId: string,
  setTime: (atMs: number) => Promise<void>,
  maxSteps = 200
): Promise<RunView> {
  const stub = env.TENANT_WRITER.getByName(tenantId)
  for (let i = 0; i < maxSteps; i++) {
    const run = await latestRun(tenantId, instanceId)
    if (run.status !== 'running') return run
    const waitUntil = Date.parse(run.nextAttemptAt ?? '')
    if (waitUntil > Date.now()) await setTime(waitUntil)
    await runDurableObjectAlarm(stub)
  }
  return latestRun(tenantId, instanceId)
}

export async function syncNow(tenantId: string, instanceId: string): Promise<RunView> {
  await adminJson('POST', `/tenants/${tenantId}/instances/${instanceId}/sync`, undefined, 202)
  return finishRun(tenantId, instanceId)
}

/**
 * A tenant with agents for Adele (Sales, Engineering) and Lee (Support), a directory of its own,
 * and a pull instance for it: groups with a linked user appear on the first sync.
 */
export async function pullTenant(options: PullOptions = {}) {
  const tenant = await createTenant()
  const directory = await newDirectory()
  await reportAgents(tenant.id, [
    { id: 'adele-pc', upn: 'AdeleV@contoso.com' },
    { id: 'lee-pc', upn: 'LeeG@contoso.com' },
  ])
  const instanceId = await createPullInstance(tenant.id, directory, options)
  return { tenant, directory, instanceId }
}

/** What a run left in the product: group names with their member counts, and user count. */
export async function productState(tenant: TestTenant) {
  const scim = scimClient(tenant)
  const groups = (await json(await scim.get('/Groups?count=100'))).Resources.map(
    (g) => `${String(g.displayName)}:${String(g.members?.length ?? 0)}`
  ).sort()
  return { groups, users: (await json(await scim.get('/Users?count=0'))).totalResults }
}

/**
 * What a sync of contoso leaves in a pullTenant: 16 Entra users seen, the two under the Delete
 * parent deleted, the groups with a linked user.
 */
export const CONTOSO_PRODUCT = {
  groups: ['Engineering:5', 'Sales:6', 'Support (Dynamic):2'],
  users: 14,
}
