/**
 * @module Everything the fake Graph remembers: the directories by id, each with its faults and
 * request statistics, the multi-tenant applications registered with it, the directories that
 * consented to each and the administrator signed in to answer its prompts, the access tokens and
 * authorization codes it issued, its clock and the counter behind its ids.
 */
import { loadDirectory, type Directory } from './directory.ts'
import { newFaultState, type FaultState, type Faults } from './faults.ts'
import { counterGuid } from './wire.ts'

/** One logged request (token or Graph), oldest first in {@link FakeGraphStats.log}. */
export interface RequestLogEntry {
  kind: 'token' | 'graph'
  method: string
  /** Path as received, e.g. "/v1.0/groups/{id}/members". */
  path: string
  /** Decoded query parameters, e.g. { $select: 'id,displayName', $top: '999' }. */
  query: Record<string, string>
  status: number
  consistencyLevel: string | null
  throttlePriority: string | null
}

/** Request statistics of one directory. */
export interface FakeGraphStats {
  tokenRequests: number
  tokensIssued: number
  graphRequests: number
  /** Graph responses by HTTP status, e.g. { "200": 12, "429": 2 }. */
  byStatus: Record<string, number>
  /** The last requests (token and Graph), oldest first; capped by the fake's logSize. */
  log: RequestLogEntry[]
}

export interface DirectoryEntry {
  directoryId: string
  directory: Directory
  faults: FaultState
  stats: FakeGraphStats
  /** A clock pinned for this directory's faults (the budget), or null to follow the fake's. */
  pinnedAtMs: number | null
}

/** A token issued by the fake. */
export interface IssuedToken {
  directoryId: string
  expiresAtMs: number
  uses: number
}

/** How the admin who opens the admin consent page answers it. */
export type Consenter =
  { kind: 'consent'; directoryId: string } | { kind: 'decline'; error: string; description: string }

/** The administrator signed in to the fake identity platform: who an ID token names. */
export interface SignedInAdmin {
  /** The directory the account lives in: the ID token's `tid`. */
  directoryId: string
  oid: string
  preferredUsername: string
  /** Role template ids of the account's directory roles; null: the token carries no `wids`. */
  wids: string[] | null
  /** A silent sign-in (`prompt=none`) answers interaction_required (e.g. MFA is due). */
  requiresInteraction: boolean
  /** Claims the ID tokens carry in place of the fake's own (to test a client's checks). */
  claimOverrides: Record<string, unknown>
}

/** An authorization code the authorize endpoint issued, until it is redeemed or expires. */
export interface IssuedCode {
  clientId: string
  redirectUri: string
  /** The `{tenant}` of the authorize path: the code is redeemed at that tenant's endpoint only. */
  tenant: string
  scope: string
  nonce: string | null
  admin: SignedInAdmin
  expiresAtMs: number
  redeemed: boolean
}

/**
 * A multi-tenant application registered in the operator's own directory: any directory's admin
 * may consent to it, and it gets tokens only in the directories that did.
 */
export interface MultiTenantApp {
  clientId: string
  clientSecret: string
  /** The redirect URIs of its registration; an admin consent answer goes only to one of these. */
  redirectUris: string[]
  /** Directories whose admin granted consent (its service principal exists there). */
  consentedIn: Set<string>
  /** Who answers the next consent prompts (the fake has no sign-in page); null: nobody yet. */
  consenter: Consenter | null
  /** Who is signed in for the app's sign-in requests; null: nobody (after a refusal too). */
  signedIn: SignedInAdmin | null
}

export interface FakeState {
  clock: () => number
  clockOffsetMs: number
  logSize: number
  entries: Map<string, DirectoryEntry>
  apps: Map<string, MultiTenantApp>
  tokens: Map<string, IssuedToken>
  codes: Map<string, IssuedCode>
  counter: number
}

export function newState(clock: () => number, logSize: number): FakeState {
  return {
    clock,
    clockOffsetMs: 0,
    logSize,
    entries: new Map(),
    apps: new Map(),
    tokens: new Map(),
    codes: new Map(),
    counter: 0,
  }
}

/** The fake's time: the injected clock plus whatever advanceClock added. */
export const nowMs = (state: FakeState): number => state.clock() + state.clockOffsetMs

/**
 * The time a directory's faults see: its pinned clock if a test pinned one (so a test that
 * controls the service's clock can move both together), else the fake's.
 */
export const directoryNowMs = (state: FakeState, entry: DirectoryEntry): number =>
  entry.pinnedAtMs ?? nowMs(state)

/** A fresh deterministic GUID (request ids, trace ids, …). */
export function nextGuid(state: FakeState, prefix: string): string {
  state.counter++
  return counterGuid(prefix, state.counter)
}

const emptyStats = (): FakeGraphStats => ({
  tokenRequests: 0,
  tokensIssued: 0,
  graphRequests: 0,
  byStatus: {},
  log: [],
})

/** Loads (or replaces) a directory: a replaced one starts with no faults and zeroed stats. */
export function putDirectory(
  state: FakeState,
  directoryId: string,
  fixture: unknown
): DirectoryEntry {
  const entry: DirectoryEntry = {
    directoryId,
    directory: loadDirectory(fixture),
    faults: newFaultState(),
    stats: emptyStats(),
    pinnedAtMs: null,
  }
  state.entries.set(directoryId, entry)
  return entry
}

/** The entry of a directory; throws for an unknown one (a bug in the calling test). */
export function entryOf(state: FakeState, directoryId: string): DirectoryEntry {
  const entry = state.entries.get(directoryId)
  if (entry === undefined) throw new Error(`The fake Graph has no directory ${directoryId}`)
  return entry
}

export function setFaults(state: FakeState, directoryId: string, faults: Faults): void {
  entryOf(state, directoryId).faults = newFaultState(faults)
}

/** Deletes a directory, every token issued for it and the consents it gave. */
export function deleteDirectory(state: FakeState, directoryId: string): boolean {
  for (const [token, issued] of state.tokens) {
    if (issued.directoryId === directoryId) state.tokens.delete(token)
  }
  for (const app of state.apps.values()) app.consentedIn.delete(directoryId)
  return state.entries.delete(directoryId)
}

/** Appends to a directory's log and counters. */
export function record(state: FakeState, entry: DirectoryEntry, logEntry: RequestLogEntry): void {
  const { stats } = entry
  if (logEntry.kind === 'graph') {
    stats.graphRequests++
    const key = String(logEntry.status)
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1
  } else {
    stats.tokenRequests++
    if (logEntry.status === 200) stats.tokensIssued++
  }
  stats.log.push(logEntry)
  if (stats.log.length > state.logSize) stats.log.splice(0, stats.log.length - state.logSize)
}

/** A copy of the stats, so a test's snapshot does not change under it. */
export function snapshotStats(entry: DirectoryEntry): FakeGraphStats {
  const { stats } = entry
  return { ...stats, byStatus: { ...stats.byStatus }, log: stats.log.map((e) => ({ ...e })) }
}

/** The log entry of a request answered with `status`. */
export function logEntryOf(
  kind: RequestLogEntry['kind'],
  request: Request,
  status: number
): RequestLogEntry {
  const url = new URL(request.url)
  return {
    kind,
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    status,
    consistencyLevel: request.headers.get('ConsistencyLevel'),
    throttlePriority: request.headers.get('x-ms-throttle-priority'),
  }
}

/** Forgets everything: directories, applications, tokens, clock offset and the id counter. */
export function resetState(state: FakeState): void {
  state.entries.clear()
  state.apps.clear()
  state.tokens.clear()
  state.codes.clear()
  state.clockOffsetMs = 0
  state.counter = 0
}
