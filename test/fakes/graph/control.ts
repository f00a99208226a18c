/**
 * @module Control API of the fake Graph, so code in another process or isolate (workerd tests,
 * the dev server, the benchmark) can drive it over HTTP:
 * ```
 * PUT    /_fake/directories/{directoryId}          body: fixture JSON (directory.ts) -> 201
 * GET    /_fake/directories/{directoryId}          -> the directory as a fixture
 * PATCH  /_fake/directories/{directoryId}          body: { "commands": [...] } (mutations.ts)
 * DELETE /_fake/directories/{directoryId}          -> 204 (its tokens stop working)
 * PUT    /_fake/directories/{directoryId}/faults   body: faults (faults.ts); {} clears them
 * PUT    /_fake/directories/{directoryId}/clock    body: { "atMs": 1767225600000 } pins the clock
 *                                                  its faults read; { "atMs": null } unpins it
 * GET    /_fake/directories/{directoryId}/stats    -> FakeGraphStats
 * POST   /_fake/clock                              body: { "advanceMs": 3600000 }
 * POST   /_fake/reset                              -> 204, forgets everything
 * PUT    /_fake/apps/{clientId}                    body: { "clientSecret", "redirectUris": [...] }
 *                                                  registers a multi-tenant app (consent.ts) -> 201
 * GET    /_fake/apps/{clientId}                    -> the app, the directories that consented
 * PUT    /_fake/apps/{clientId}/consenter          body: { "directoryId", "preferredUsername"?,
 *                                                  "wids"?, "requiresInteraction"?, "idTokenClaims"? }
 *                                                  (an admin of it consents and stays signed in)
 *                                                  or { "decline": true, "error"?, "errorDescription"? }
 * DELETE /_fake/apps/{clientId}/consents/{directoryId}   the directory removes the app -> 204
 * ```
 * Errors answer `{ "error": "<what is wrong>" }` with 400 (bad body) or 404 (unknown directory
 * or app).
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import { formatIssues, toFixture } from './directory.ts'
import type { FakeEnv } from './graph.ts'
import { faultsSchema } from './faults.ts'
import {
  appRegistrationSchema,
  appView,
  consenterSchema,
  registerApp,
  setConsenter,
} from './consent.ts'
import { applyCommands, commandsBodySchema } from './mutations.ts'
import {
  deleteDirectory,
  putDirectory,
  resetState,
  setFaults,
  snapshotStats,
  type DirectoryEntry,
  type FakeState,
} from './state.ts'
import { plainJson } from './wire.ts'

const clockSchema = z.strictObject({ advanceMs: z.number().int().nonnegative() })
const pinSchema = z.strictObject({ atMs: z.number().int().nonnegative().nullable() })

const failure = (status: number, error: string): Response => plainJson({ error }, status)

type Body<T> = { ok: true; value: T } | { ok: false; response: Response }

async function jsonBody(request: Request): Promise<Body<unknown>> {
  try {
    return { ok: true, value: await request.json() }
  } catch {
    return { ok: false, response: failure(400, 'The body is not valid JSON') }
  }
}

/** Parses a JSON body with a schema, or the 400 response naming what is wrong. */
async function parsed<T>(request: Request, schema: z.ZodType<T>): Promise<Body<T>> {
  const body = await jsonBody(request)
  if (!body.ok) return body
  const result = schema.safeParse(body.value)
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, response: failure(400, formatIssues(result.error)) }
}

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

const unknownDirectory = (directoryId: string): Response =>
  failure(404, `The fake Graph has no directory ${directoryId}`)

function withEntry(
  state: FakeState,
  directoryId: string,
  run: (entry: DirectoryEntry) => Response
): Response {
  const entry = state.entries.get(directoryId)
  return entry === undefined ? unknownDirectory(directoryId) : run(entry)
}

const BASE = '/_fake/directories/:directoryId'

/** Registers the /_fake routes on the fake's app. */
export function registerControl(app: Hono<FakeEnv>, state: FakeState): void {
  registerDirectoryRoutes(app, state)
  registerFaultRoutes(app, state)
  registerAppRoutes(app, state)
  registerGlobalControl(app, state)
}

function registerDirectoryRoutes(app: Hono<FakeEnv>, state: FakeState): void {
  app.put(BASE, async (c) => {
    const body = await jsonBody(c.req.raw)
    if (!body.ok) return body.response
    try {
      const entry = putDirectory(state, c.req.param('directoryId'), body.value)
      const { users, groups } = entry.directory
      const summary = { directoryId: entry.directoryId, users: users.size, groups: groups.size }
      return plainJson(summary, 201)
    } catch (error) {
      return failure(400, errorText(error))
    }
  })
  app.get(BASE, (c) =>
    withEntry(state, c.req.param('directoryId'), (e) => plainJson(toFixture(e.directory)))
  )
  app.patch(BASE, async (c) => {
    const body = await parsed(c.req.raw, commandsBodySchema)
    if (!body.ok) return body.response
    return withEntry(state, c.req.param('directoryId'), (entry) => {
      try {
        return plainJson({ applied: applyCommands(entry.directory, body.value.commands) })
      } catch (error) {
        return failure(400, errorText(error))
      }
    })
  })
  app.delete(BASE, (c) => {
    const directoryId = c.req.param('directoryId')
    return deleteDirectory(state, directoryId)
      ? new Response(null, { status: 204 })
      : unknownDirectory(directoryId)
  })
}

function registerFaultRoutes(app: Hono<FakeEnv>, state: FakeState): void {
  app.put(`${BASE}/faults`, async (c) => {
    const body = await parsed(c.req.raw, faultsSchema)
    if (!body.ok) return body.response
    return withEntry(state, c.req.param('directoryId'), (entry) => {
      setFaults(state, entry.directoryId, body.value)
      return plainJson(entry.faults.faults)
    })
  })
  app.put(`${BASE}/clock`, async (c) => {
    const body = await parsed(c.req.raw, pinSchema)
    if (!body.ok) return body.response
    return withEntry(state, c.req.param('directoryId'), (entry) => {
      entry.pinnedAtMs = body.value.atMs
      return plainJson({ pinnedAtMs: entry.pinnedAtMs })
    })
  })
  app.get(`${BASE}/stats`, (c) =>
    withEntry(state, c.req.param('directoryId'), (e) => plainJson(snapshotStats(e)))
  )
}

const APP = '/_fake/apps/:clientId'

function registerAppRoutes(app: Hono<FakeEnv>, state: FakeState): void {
  const unknownApp = (clientId: string) => failure(404, `The fake has no application ${clientId}`)
  app.put(APP, async (c) => {
    const body = await parsed(c.req.raw, appRegistrationSchema)
    if (!body.ok) return body.response
    return plainJson(appView(registerApp(state, c.req.param('clientId'), body.value)), 201)
  })
  app.get(APP, (c) => {
    const found = state.apps.get(c.req.param('clientId'))
    return found ? plainJson(appView(found)) : unknownApp(c.req.param('clientId'))
  })
  app.put(`${APP}/consenter`, async (c) => {
    const body = await parsed(c.req.raw, consenterSchema)
    if (!body.ok) return body.response
    try {
      setConsenter(state, c.req.param('clientId'), body.value)
    } catch (error) {
      return failure(404, errorText(error))
    }
    const found = state.apps.get(c.req.param('clientId'))
    return plainJson(found ? appView(found) : null)
  })
  app.delete(`${APP}/consents/:directoryId`, (c) => {
    const found = state.apps.get(c.req.param('clientId'))
    if (!found) return unknownApp(c.req.param('clientId'))
    found.consentedIn.delete(c.req.param('directoryId'))
    return new Response(null, { status: 204 })
  })
}

function registerGlobalControl(app: Hono<FakeEnv>, state: FakeState): void {
  app.post('/_fake/clock', async (c) => {
    const body = await parsed(c.req.raw, clockSchema)
    if (!body.ok) return body.response
    state.clockOffsetMs += body.value.advanceMs
    return plainJson({ clockOffsetMs: state.clockOffsetMs })
  })
  app.post('/_fake/reset', () => {
    resetState(state)
    return new Response(null, { status: 204 })
  })
}
