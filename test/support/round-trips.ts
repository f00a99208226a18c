/**
 * @module Counts the D1 round trips a request makes in the Worker: the request goes through the
 * Worker's fetch as a client's would, with an env whose regional D1 bindings are tapped
 * (./d1-counter.ts) for this request only. Work handed to the tenant's Durable Object runs with
 * the object's own bindings and is not counted here (`npm run bench` counts both sides).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../src/worker'
import { tapD1 } from './d1-counter'
import { ORIGIN, SCIM_MEDIA, type TestTenant } from './scim'

export interface CountedResponse {
  res: Response
  /** D1 round trips made by the Worker, including work it handed to waitUntil. */
  trips: number
}

/** Sends one SCIM request with the tenant's key and counts the Worker's D1 round trips. */
export async function scimTrips(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown
): Promise<CountedResponse> {
  let trips = 0
  const tap = {
    onTrip: () => {
      trips++
    },
  }
  const tapped = { ...env, DB_US: tapD1(env.DB_US, tap), DB_EU: tapD1(env.DB_EU, tap) }
  const request = new Request<unknown, IncomingRequestCfProperties>(`${ORIGIN}/scim/v2${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${tenant.token}`,
      ...(body === undefined ? {} : { 'Content-Type': SCIM_MEDIA }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const ctx = createExecutionContext()
  const res = await worker.fetch(request, tapped, ctx)
  await waitOnExecutionContext(ctx)
  return { res, trips }
}
