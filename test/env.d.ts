/**
 * @module Types of the test environment: the Worker's bindings plus what vitest.config.ts adds,
 * and the main module, so `exports.default.fetch` is typed.
 */
import type { Env as WorkerEnv } from '../src/env'

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    }
    interface GlobalProps {
      mainModule: typeof import('../src/worker')
      durableNamespaces: 'TenantWriter' | 'SignInGuard'
    }
  }
}
