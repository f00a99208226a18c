/**
 * @module The bench's own Worker entry (never deployed): the production Worker and its Durable
 * Object, with both regional D1 bindings tapped (./trips.ts): every response says its D1 round
 * trips in the Worker and in the tenant's object, and every round trip first waits
 * `BENCH_D1_LATENCY_MS`, so the bench can play a remote database's latency against local D1.
 */
import worker, { SignInGuard, TenantWriter as ProductionTenantWriter } from '../../../src/worker'
import type { Env } from '../../../src/env'
import { countedFetch, inObject, latencyOf, perEnv, tapDatabases } from './trips'

interface BenchEnv extends Env {
  BENCH_D1_LATENCY_MS?: string
}

const DATABASES = ['DB_US', 'DB_EU'] as const
const tapped = (env: BenchEnv) => tapDatabases(env, DATABASES, latencyOf(env.BENCH_D1_LATENCY_MS))

/** One tapped env per isolate. */
const benchEnv = perEnv(tapped)

export { SignInGuard }

/**
 * The tenant's object as in production, with its D1 tapped and each round trip counted for
 * every request the work serves.
 */
export class TenantWriter extends ProductionTenantWriter {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, tapped(env))
  }

  protected override attribute<T>(
    requestIds: readonly (string | null)[],
    work: () => Promise<T>
  ): Promise<T> {
    return inObject(requestIds, work)
  }
}

export default {
  fetch: (request, env, ctx) =>
    countedFetch(request, () => Promise.resolve(worker.fetch(request, benchEnv(env), ctx))),
  scheduled: (controller, env) => worker.scheduled(controller, benchEnv(env)),
} satisfies ExportedHandler<BenchEnv>
