/**
 * @module Counts the D1 round trips a tenant's Durable Object makes: its D1 bindings are swapped
 * for tapped ones (./d1-counter.ts) inside the running object, for the rest of the test file's
 * life. Reads and write batches are counted apart, so a test can tell a write that reads before
 * its batch from one that does not, and how many batches a run of concurrent writes took; the
 * SQL sent is kept, for tests of what the object asks of SQLite.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { tapD1 } from './d1-counter'

/** The round trips the object made since the tap (or the last `reset`). */
export interface ObjectTrips {
  reads: number
  batches: number
  /** The SQL of every statement the object sent, reads and writes, in order. */
  sent: string[]
  reset(): void
}

/** Taps the D1 bindings of the tenant's object. */
export async function tapTenantObject(tenantId: string): Promise<ObjectTrips> {
  const trips: ObjectTrips = {
    reads: 0,
    batches: 0,
    sent: [],
    reset: () => {
      trips.reads = 0
      trips.batches = 0
      trips.sent = []
    },
  }
  // A batch of SELECTs only is a read (several reads in one round trip); any other batch writes.
  const tap = {
    onTrip: (kind: string, queries: readonly string[]) => {
      const reads = kind !== 'batch' || queries.every((q) => /^\s*select\b/i.test(q))
      if (reads) trips.reads++
      else trips.batches++
      trips.sent.push(...queries)
    },
  }
  const tapped = { ...env, DB_US: tapD1(env.DB_US, tap), DB_EU: tapD1(env.DB_EU, tap) }
  // The object picks its regional database from its env on every unit of work.
  await runInDurableObject(env.TENANT_WRITER.getByName(tenantId), (instance) => {
    Reflect.set(instance, 'env', tapped)
  })
  return trips
}
