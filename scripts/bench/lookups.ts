/** Filter lookups by userName (the request Entra and Okta send before every create). */
import { CONCURRENCY, SIZES, userName } from './config.ts'
import type { Call } from './http.ts'
import { runPhase, type PhaseResult } from './measure.ts'
import { filterQuery } from './provision.ts'
import { listResponse } from './responses.ts'

/** The k-th request's user: a prime stride spreads a phase's requests over all of `present`. */
export const spreadOver = (present: readonly number[], k: number): number =>
  present[(k * 7919) % present.length] ?? 0

/** A read phase: SIZES.lookups requests at the bench's concurrency, so read phases compare. */
export const readPhase = (name: string, task: (k: number) => Promise<void>): Promise<PhaseResult> =>
  runPhase({ name, count: SIZES.lookups, concurrency: CONCURRENCY, task })

/**
 * Looks up users spread over `present` (indexes of users known to exist), upper-cased so the
 * case-insensitive match of RFC 7643 §2.1 (userName caseExact=false) is exercised.
 */
export async function lookupPhase(
  scim: Call,
  name: string,
  present: number[]
): Promise<PhaseResult> {
  return readPhase(name, async (k) => {
    const i = spreadOver(present, k)
    const filter = filterQuery(`userName eq "${userName(i).toUpperCase()}"`)
    const r = await scim('GET', `/Users${filter}`, undefined, 200, listResponse)
    if (r.totalResults !== 1) throw new Error(`lookup of user ${i} found ${r.totalResults}`)
  })
}
