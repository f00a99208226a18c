/**
 * @module A fake Microsoft Graph and Microsoft identity platform token endpoint in one Hono app,
 * told apart by path (docs/graph-sync.md is the wire reference):
 * - `POST /{directoryId}/oauth2/v2.0/token` (login.microsoftonline.com): client credentials
 *   (token.ts) and authorization code (code-grant.ts) grants
 * - `GET /{tenant}/v2.0/adminconsent` (login.microsoftonline.com): admin consent to a
 *   multi-tenant app (consent.ts)
 * - `GET /{tenant}/oauth2/v2.0/authorize` (login.microsoftonline.com): OpenID Connect sign-in of
 *   the admin signed in for that app (signin.ts)
 * - `GET /v1.0/...` (graph.microsoft.com): groups, users, members, transitiveMembers
 * - `/_fake/...` control API (control.ts)
 * Runs unchanged in workerd-hosted tests (through `fake.fetch`), in vitest and as a Node server
 * (server.ts). Everything is deterministic: ids come from a counter, time from the injected clock.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import {
  adminConsentResponse,
  registerApp,
  setConsenter,
  type AppRegistration,
  type ConsenterInput,
} from './consent.ts'
import { registerControl } from './control.ts'
import type { Directory } from './directory.ts'
import { nextFault, type Faults } from './faults.ts'
import {
  getGroup,
  getUser,
  listGroups,
  listMembers,
  listUsers,
  segmentNotFound,
  type FakeEnv,
} from './graph.ts'
import {
  deleteDirectory,
  directoryNowMs,
  entryOf,
  logEntryOf,
  newState,
  nextGuid,
  nowMs,
  putDirectory,
  record,
  resetState,
  setFaults,
  snapshotStats,
  type DirectoryEntry,
  type FakeGraphStats,
  type FakeState,
} from './state.ts'
import { authorizeResponse } from './signin.ts'
import { authenticate, tokenResponse } from './token.ts'
import { graphDate, graphError, GraphProblem, plainJson, type RequestInfo } from './wire.ts'

export type { FakeGraphStats } from './state.ts'

/** The fake, with typed helpers for tests running in the same process. */
export interface FakeGraph {
  /** Serves token, Graph and control requests. */
  fetch(request: Request): Promise<Response>
  /** Loads or replaces a directory from fixture JSON (validated; throws on a bad fixture). */
  load(directoryId: string, fixture: unknown): Directory
  /** The live directory, to change with the functions of mutations.ts. */
  directory(directoryId: string): Directory
  /** Replaces the directory's faults; `{}` clears them. */
  setFaults(directoryId: string, faults: Faults): void
  /** A snapshot of the directory's request statistics. */
  stats(directoryId: string): FakeGraphStats
  /** Moves the fake's clock forward (token expiry). */
  advanceClock(ms: number): void
  /** Pins the clock a directory's faults read (the budget) at `atMs`; null follows the fake's. */
  pinClock(directoryId: string, atMs: number | null): void
  deleteDirectory(directoryId: string): void
  /** Registers (or updates) a multi-tenant app whose admin consent any directory may grant. */
  registerApp(clientId: string, registration: AppRegistration): void
  /**
   * Who answers the app's next admin consent prompts, an admin of a directory or a refusal; the
   * admin stays signed in for the app's sign-ins (their roles, username, whether a silent
   * sign-in needs interaction).
   */
  setConsenter(clientId: string, consenter: ConsenterInput): void
  /** Forgets all directories, apps, tokens, faults, stats and clock offset. */
  reset(): void
}

export interface FakeGraphOptions {
  /** The fake's clock in epoch ms; defaults to Date.now. */
  now?: () => number
  /** How many requests each directory's stats log keeps; default 500. */
  logSize?: number
}

const throttleScope = (entry: DirectoryEntry): string =>
  `Tenant_Application/ReadWrite/${entry.directory.clientId}/${entry.directoryId}`

/** Logs a request answered before reaching a route (bad token, injected fault). */
function reject(
  state: FakeState,
  entry: DirectoryEntry | undefined,
  request: Request,
  response: Response
): Response {
  if (entry !== undefined) record(state, entry, logEntryOf('graph', request, response.status))
  return response
}

function graphMiddleware(state: FakeState): MiddlewareHandler<FakeEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url)
    const requestId = nextGuid(state, 'e9a0')
    const info: RequestInfo = {
      requestId,
      clientRequestId: c.req.header('client-request-id') ?? requestId,
      date: graphDate(nowMs(state)),
    }
    const auth = authenticate(state, c.req.header('Authorization'))
    if (!auth.ok) {
      const problem = new GraphProblem(401, 'InvalidAuthenticationToken', auth.message)
      return reject(state, auth.entry, c.req.raw, graphError(info, problem))
    }
    const target = url.pathname + url.search
    const at = directoryNowMs(state, auth.entry)
    const fault = nextFault(auth.entry.faults, target, throttleScope(auth.entry), at)
    if (fault !== undefined) return reject(state, auth.entry, c.req.raw, graphError(info, fault))
    const advanced = c.req.header('ConsistencyLevel')?.toLowerCase() === 'eventual'
    c.set('call', { info, entry: auth.entry, url, advanced })
    await next()
    record(state, auth.entry, logEntryOf('graph', c.req.raw, c.res.status))
  }
}

function registerGraph(app: Hono<FakeEnv>, state: FakeState): void {
  app.use('/v1.0/*', graphMiddleware(state))
  app.get('/v1.0/groups', (c) => listGroups(c.get('call')))
  app.get('/v1.0/groups/:id', (c) => getGroup(c.get('call'), c.req.param('id')))
  app.get('/v1.0/groups/:id/:relation', (c) =>
    listMembers(c.get('call'), c.req.param('id'), c.req.param('relation'), undefined)
  )
  app.get('/v1.0/groups/:id/:relation/:cast', (c) =>
    listMembers(c.get('call'), c.req.param('id'), c.req.param('relation'), c.req.param('cast'))
  )
  app.get('/v1.0/users', (c) => listUsers(c.get('call')))
  app.get('/v1.0/users/:id', (c) => getUser(c.get('call'), c.req.param('id')))
  app.all('/v1.0/*', (c) => {
    throw segmentNotFound(new URL(c.req.url).pathname.split('/').pop() ?? '')
  })
  app.onError((error, c) => {
    // The error may come before the call was set (a request the middleware refused).
    const vars: Partial<typeof c.var> = c.var
    const call = vars.call
    if (call === undefined) return plainJson({ error: error.message }, 500)
    const problem =
      error instanceof GraphProblem
        ? error
        : new GraphProblem(500, 'generalException', error.message)
    return graphError(call.info, problem)
  })
}

function buildApp(state: FakeState): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>()
  app.get('/:tenant/v2.0/adminconsent', (c) =>
    adminConsentResponse(state, c.req.param('tenant'), new URL(c.req.url))
  )
  app.get('/:tenant/oauth2/v2.0/authorize', (c) =>
    authorizeResponse(state, c.req.param('tenant'), new URL(c.req.url))
  )
  app.post('/:directoryId/oauth2/v2.0/token', async (c) => {
    const directoryId = c.req.param('directoryId')
    const response = await tokenResponse(state, directoryId, c.req.raw)
    const entry = state.entries.get(directoryId)
    if (entry !== undefined) record(state, entry, logEntryOf('token', c.req.raw, response.status))
    return response
  })
  registerGraph(app, state)
  registerControl(app, state)
  app.notFound((c) =>
    plainJson({ error: `The fake Graph has no endpoint ${c.req.method} ${c.req.path}` }, 404)
  )
  return app
}

/** Creates an empty fake; load directories with `load` or `PUT /_fake/directories/{id}`. */
export function createFakeGraph(options: FakeGraphOptions = {}): FakeGraph {
  const state = newState(options.now ?? Date.now, options.logSize ?? 500)
  const app = buildApp(state)
  return {
    fetch: async (request) => app.fetch(request),
    load: (directoryId, fixture) => putDirectory(state, directoryId, fixture).directory,
    directory: (directoryId) => entryOf(state, directoryId).directory,
    setFaults: (directoryId, faults) => setFaults(state, directoryId, faults),
    stats: (directoryId) => snapshotStats(entryOf(state, directoryId)),
    advanceClock: (ms) => {
      state.clockOffsetMs += ms
    },
    pinClock: (directoryId, atMs) => {
      entryOf(state, directoryId).pinnedAtMs = atMs
    },
    deleteDirectory: (directoryId) => {
      deleteDirectory(state, directoryId)
    },
    registerApp: (clientId, registration) => {
      registerApp(state, clientId, registration)
    },
    setConsenter: (clientId, consenter) => setConsenter(state, clientId, consenter),
    reset: () => resetState(state),
  }
}
