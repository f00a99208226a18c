/**
 * @module A D1 stand-in for measurement, never part of the production Worker: it forwards every
 * call to the real binding and reports each round trip (a statement's `first`, `all`, `run` or
 * `raw`, a `batch`, an `exec`), optionally after a fixed delay that plays a remote database's
 * latency. Installed by the round-trip tests' setup and by the bench's own Worker entry only.
 */

/** What the stand-in does on each round trip, before forwarding it. */
export interface D1Tap {
  /**
   * Called once per round trip, with what kind it was (`all`, `batch`, …) and the SQL of the
   * statements it runs (a batch's, in order).
   */
  onTrip(kind: string, queries: readonly string[]): void
  /** Milliseconds to wait before each round trip (0 or absent: none). */
  latencyMs?: number
}

const STATEMENT_TRIPS = new Set(['first', 'all', 'run', 'raw'])
const DATABASE_TRIPS = new Set(['batch', 'exec', 'dump'])

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function trip<T>(
  tap: D1Tap,
  kind: string,
  queries: readonly string[],
  forward: () => Promise<T>
): Promise<T> {
  tap.onTrip(kind, queries)
  if (tap.latencyMs !== undefined && tap.latencyMs > 0) await delay(tap.latencyMs)
  return forward()
}

type Call = (...args: unknown[]) => Promise<unknown>

/**
 * A property of `target`; a method comes bound to it, since D1's classes keep their state out of
 * reach of a Proxy.
 */
function member(target: object, prop: string | symbol): { value: unknown; call?: Call } {
  const value: unknown = Reflect.get(target, prop)
  if (typeof value !== 'function') return { value }
  const call: Call = (...args) => Promise.resolve<unknown>(Reflect.apply(value, target, args))
  return { value: value.bind(target), call }
}

/** The property, or for a round-trip method a version of it that reports the trip first. */
function tapped(
  target: object,
  prop: string | symbol,
  trips: Set<string>,
  tap: D1Tap,
  queries: readonly string[]
): unknown {
  const { value, call } = member(target, prop)
  if (typeof prop !== 'string' || !trips.has(prop) || call === undefined) return value
  return (...args: unknown[]) => trip(tap, prop, queries, () => call(...args))
}

/**
 * Wraps a D1 binding. Statements it prepares are wrapped too, and a batch of them is handed to
 * the real binding as the real statements, so the database sees exactly what it would unwrapped.
 */
export function tapD1(real: D1Database, tap: D1Tap): D1Database {
  const unwrap = new WeakMap<object, { statement: D1PreparedStatement; query: string }>()
  const wrapStatement = (statement: D1PreparedStatement, query: string): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        if (prop === 'bind') {
          return (...values: unknown[]) => wrapStatement(target.bind(...values), query)
        }
        return tapped(target, prop, STATEMENT_TRIPS, tap, [query])
      },
    })
    unwrap.set(proxy, { statement, query })
    return proxy
  }
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query), query)
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          const known = statements.map((s) => unwrap.get(s))
          const queries = known.map((k) => k?.query ?? '')
          const real = statements.map((s, i) => known[i]?.statement ?? s)
          return trip(tap, 'batch', queries, () => target.batch(real))
        }
      }
      return tapped(target, prop, DATABASE_TRIPS, tap, [])
    },
  })
}
