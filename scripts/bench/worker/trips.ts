/**
 * @module Round-trip accounting shared by the bench's Worker entries (the product's and the
 * minimal floor's): D1 bindings wrapped by the tap of test/support/d1-counter.ts, each round
 * trip added to the request being served, whether it runs in the Worker or in the tenant's
 * Durable Object (same isolate under `wrangler dev`; the object finds its request by id), and
 * reported on the response as `X-Bench-D1: worker=N;object=M`.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { tapD1 } from '../../../test/support/d1-counter'

/** The round trips of one request, by where they were made. */
interface Trips {
  worker: number
  object: number
}

/** The requests the work in progress serves (a write group serves several), and where it runs. */
const current = new AsyncLocalStorage<{ trips: readonly Trips[]; side: keyof Trips }>()
const inFlight = new Map<string, Trips>()
/** Trips made outside any request (alarms, work that outlives its request). */
let background = 0

/** The env with the named D1 bindings tapped; each round trip waits `latencyMs` first. */
export function tapDatabases<E extends object>(
  env: E,
  names: readonly (keyof E)[],
  latencyMs: number
): E {
  const tap = {
    latencyMs,
    onTrip: () => {
      const store = current.getStore()
      if (store) for (const trips of store.trips) trips[store.side]++
      else background++
    },
  }
  const out: E = { ...env }
  for (const name of names) {
    const binding = env[name]
    if (isD1(binding)) Object.assign(out, { [name]: tapD1(binding, tap) })
  }
  return out
}

const isD1 = (v: unknown): v is D1Database =>
  typeof v === 'object' && v !== null && 'prepare' in v && 'batch' in v

/**
 * Memoizes a function of the env: the runtime hands the same env object to every request of an
 * isolate, so the tapped copy is made once.
 */
export function perEnv<E extends object>(make: (env: E) => E): (env: E) => E {
  let cached: { raw: E; env: E } | undefined
  return (env) => {
    if (cached?.raw !== env) cached = { raw: env, env: make(env) }
    return cached.env
  }
}

/** A latency in ms from a var; anything else is 0. */
export const latencyOf = (value: string | undefined): number => {
  const n = Number(value ?? '0')
  return Number.isFinite(n) && n > 0 ? n : 0
}

/**
 * Serves one request with its trips counted, and says them on the response. The client's
 * X-Request-Id names the request for the object's side.
 */
export async function countedFetch(
  request: Request,
  handle: () => Promise<Response>
): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/__bench/background') return Response.json({ background })
  const id = request.headers.get('X-Request-Id')
  const trips: Trips = { worker: 0, object: 0 }
  if (id !== null) inFlight.set(id, trips)
  try {
    const res = await current.run({ trips: [trips], side: 'worker' }, handle)
    const out = new Response(res.body, res)
    out.headers.set('X-Bench-D1', `worker=${String(trips.worker)};object=${String(trips.object)}`)
    return out
  } finally {
    if (id !== null) inFlight.delete(id)
  }
}

/**
 * Runs an object's work with each of its D1 trips added to every request it serves: a write
 * group's batch is a round trip that each of its writes waits for.
 */
export function inObject<T>(requestIds: readonly (string | null)[], work: () => T): T {
  const trips = requestIds.flatMap((id) => {
    const found = id === null ? undefined : inFlight.get(id)
    return found ? [found] : []
  })
  return current.run({ trips, side: 'object' }, work)
}
