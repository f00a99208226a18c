/** Filter lookups by userName (the request Entra and Okta send before every create). */
import { CONCURRENCY, SIZES, userName } from './config.ts'
import type { Call } from './http.ts'
import { runPhase, type PhaseResult } from './measure.ts'
import { filterQuery } from './provision.ts'
import { listResponse } from './responses.ts'

/**
 * Looks up users spread over `present` (indexes of users known to exist), upper-cased so the
 * case-insensitive match of RFC 7643 §2.1 (userName caseExact=false) is exercised.
 */
export async function lookupPhase(
  scim: Call,
  name: string,
  present: number[]
): Promise<PhaseResult> {
  return runPhase({
    name,
    count: SIZES.lookups,
    concurrency: CONCURRENCY,
    task: async (k) => {
      const i = present[(k * 7919) % present.length] ?? 0
      const filter = filterQuery(`userName eq "${userName(i).toUpperCase()}"`)
      const r = await scim('GET', `/Users${filter}`, undefined, 200, listResponse)
      if (r.totalResults !== 1) throw new Error(`lookup of user ${i} found ${r.totalResults}`)
    },
  })
}
