/**
 * Helpers for directory tests: the admin API as JSON, agent reports, the tenant's Durable
 * Object alarm and the cron handler, driven with controlled time.
 */
import { createScheduledController, runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../src/worker'
import { admin } from './scim'

export const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** An admin call that must answer `status`; returns the parsed body. */
export async function adminJson<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  status = 200
): Promise<T> {
  const res = await admin(method, path, body)
  const text = await res.text()
  if (res.status !== status)
    throw new Error(
      `${method} ${path}: expected ${String(status)}, got ${String(res.status)} ${text}`
    )
  return (text ? JSON.parse(text) : null) as T
}

/** What creating an instance answers: the instance and, for a SCIM kind, its first key. */
export interface CreatedInstance {
  instance: { id: string }
  key?: { id: string; token: string }
}

/** Creates an integration instance through the admin API (201), answering what it created. */
export const createInstance = <T extends CreatedInstance = CreatedInstance>(
  tenantId: string,
  body: Record<string, unknown>
): Promise<T> => adminJson<T>('POST', `/tenants/${tenantId}/instances`, body, 201)

export interface AgentInput {
  id: string
  logonName?: string
  domain?: string
  email?: string | null
  upn?: string | null
  employeeId?: string | null
  lastSeen?: string
}

const agentReport = (a: AgentInput) => ({
  logonName: a.id,
  domain: 'CONTOSO',
  lastSeen: '2026-11-30T10:00:00Z',
  ...a,
})

export function reportAgents(tenantId: string, agents: AgentInput[]) {
  return adminJson<{
    received: number
    created: number
    linked: number
    unlinked: number
    linkChanges: number
  }>('POST', `/tenants/${tenantId}/agents`, { agents: agents.map(agentReport) })
}

export interface AgentView {
  id: string
  userId: string | null
  linkRule: string | null
  state: string
  doNotTrack: boolean
}

export const getAgent = (tenantId: string, id: string) =>
  adminJson<AgentView>('GET', `/tenants/${tenantId}/agents/${id}`)

/** Runs the tenant's Durable Object alarm until no step is left (bounded). */
export async function drainAlarms(tenantId: string): Promise<number> {
  const stub = env.TENANT_WRITER.getByName(tenantId)
  let steps = 0
  while (steps < 50 && (await runDurableObjectAlarm(stub))) steps++
  return steps
}

/** Fires the Cron Trigger as if it ran at `at`. */
export async function runCron(at: Date): Promise<void> {
  await worker.scheduled(
    createScheduledController({ scheduledTime: at, cron: '*/15 * * * *' }),
    env
  )
}

export const hoursFromNow = (h: number): Date => new Date(Date.now() + h * 3_600_000)

export interface HistoryEntry {
  id: string
  at: string
  actor: string
  instanceId: string | null
  keyId: string | null
  requestId: string | null
  op: string
  resourceType: string
  resourceId: string
  userId: string | null
  changes: {
    attr: string
    before?: unknown
    after?: unknown
    countBefore?: number
    countAfter?: number
  }[]
}

export async function userHistory(tenantId: string, userId: string): Promise<HistoryEntry[]> {
  return (
    await adminJson<{ entries: HistoryEntry[] }>(
      'GET',
      `/tenants/${tenantId}/users/${userId}/history?limit=1000`
    )
  ).entries
}
