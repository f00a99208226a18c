/**
 * @module The Graph client wired to the fake Graph with a controllable clock: `sleep` records
 * its argument and moves the clock, so retry waits are asserted without waiting.
 */
import type { FakeGraph } from '../../fakes/graph/app.ts'
import {
  createGraphClient,
  type GraphClient,
  type GraphClientSettings,
  type GraphPage,
  type TokenCache,
} from '../../../src/graph/client.ts'
import { GraphError, type GraphFailure } from '../../../src/graph/errors.ts'
import {
  CONTOSO_CLIENT_ID,
  CONTOSO_ID,
  CONTOSO_SECRET,
  contosoFake,
} from '../fakes/graph-helpers.ts'

export const START = 1_700_000_000_000

export const SETTINGS: GraphClientSettings = {
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  tokenBaseUrl: 'https://login.microsoftonline.com',
  maxInlineRetries: 3,
  maxInlineWaitMs: 30_000,
}

export const CREDENTIALS = {
  directoryId: CONTOSO_ID,
  clientId: CONTOSO_CLIENT_ID,
  clientSecret: CONTOSO_SECRET,
}

export interface HarnessOptions {
  settings?: Partial<GraphClientSettings>
  credentials?: Partial<typeof CREDENTIALS>
  tokenCache?: TokenCache
}

export interface Harness {
  fake: FakeGraph
  client: GraphClient
  /** Every wait the client slept, in ms. */
  sleeps: number[]
  advance: (ms: number) => void
  /** Another client on the same fake and clock. */
  another: (options?: HarnessOptions) => GraphClient
}

export function harness(options: HarnessOptions = {}): Harness {
  let now = START
  const fake = contosoFake({ now: () => now })
  const sleeps: number[] = []
  const deps = {
    fetch: (request: Request) => fake.fetch(request),
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms)
      now += ms
      return Promise.resolve()
    },
  }
  const make = (o: HarnessOptions): GraphClient =>
    createGraphClient(
      { ...SETTINGS, ...o.settings },
      { ...CREDENTIALS, ...o.credentials },
      o.tokenCache === undefined ? deps : { ...deps, tokenCache: o.tokenCache }
    )
  return {
    fake,
    client: make(options),
    sleeps,
    advance: (ms) => {
      now += ms
    },
    another: (o = {}) => make({ ...options, ...o }),
  }
}

/** The failure a promise rejects with; fails the test when it resolves or throws something else. */
export async function failureOf(promise: Promise<unknown>): Promise<GraphFailure> {
  try {
    await promise
  } catch (error) {
    if (error instanceof GraphError) return error.failure
    throw error
  }
  throw new Error('Expected a GraphError')
}

/** Every item from `first` on, following nextLinks. */
export async function collect<T>(
  first: string,
  get: (url: string) => Promise<GraphPage<T>>
): Promise<T[]> {
  const items: T[] = []
  for (let url: string | undefined = first; url !== undefined;) {
    const page: GraphPage<T> = await get(url)
    items.push(...page.items)
    url = page.nextLink
  }
  return items
}
