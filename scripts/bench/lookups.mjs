/** Filter lookups by userName (the request Entra and Okta send before every create). */
import { CONCURRENCY, SIZES, userName } from './config.mjs'
import { runPhase } from './measure.mjs'
import { filterQuery } from './provision.mjs'

/**
 * Looks up users spread over `present` (indexes of users known to exist), upper-cased so the
 * case-insensitive match of RFC 7643 §2.1 (userName caseExact=false) is exercised.
 */
export async function lookupPhase(scim, name, present) {
  return runPhase({
    name,
    count: SIZES.lookups,
    concurrency: CONCURRENCY,
    task: async (k) => {
      const i = present[(k * 7919) % present.length]
      const filter = filterQuery(`userName eq "${userName(i).toUpperCase()}"`)
      const r = await scim('GET', `/Users${filter}`, undefined, 200)
      if (r.totalResults !== 1) throw new Error(`lookup of user ${i} found ${r.totalResults}`)
    },
  })
}
