/**
 * @module Types of the test environment: the Worker's bindings plus what vitest.config.ts adds,
 * and the main module, so `exports.default.fetch` is typed.
 */
import type { D1Migration } from 'cloudflare:test'
import type { Env as WorkerEnv } from '../src/env'
import type * as worker from '../src/worker'

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[]
    }
    interface GlobalProps {
      mainModule: typeof worker
      durableNamespaces: 'TenantWriter' | 'SignInGuard'
    }
  }
}
