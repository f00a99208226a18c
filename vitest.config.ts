import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { createFakeGraph } from './test/fakes/graph/app.ts'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations')
  // Microsoft Graph and its token endpoint, faked in this (Node) process; the Worker reaches it
  // through the GRAPH_FETCHER service binding, speaking the real wire format.
  const graph = createFakeGraph()
  return {
    test: {
      projects: [
        {
          test: { name: 'unit', environment: 'node', include: ['test/unit/**/*.test.ts'] },
        },
        {
          // The console in real headless Chromium against `wrangler dev` (test/browser/server.ts).
          test: {
            name: 'browser',
            environment: 'node',
            include: ['test/browser/**/*.test.ts'],
            globalSetup: ['./test/browser/server.ts'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: 'test-admin-token',
                  DO_JURISDICTIONS: 'false',
                  SECRETS_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
                  GRAPH_BASE_URL: 'https://graph.fake.test/v1.0',
                  GRAPH_TOKEN_URL: 'https://login.fake.test',
                  CONSOLE_SESSION_SECRET: 'test-console-session-secret-0123456789abcdef',
                  // The operator's multi-tenant app for "Connect to Microsoft Entra ID"; the
                  // consent tests register it in the fake Graph with these values.
                  ENTRA_APP_CLIENT_ID: '33333333-3333-4333-8333-333333333333',
                  ENTRA_APP_CLIENT_SECRET: 'Operator~MultiTenantApp.TestSecret',
                  // Small erase steps, so a test tenant's offboarding takes many alarm steps, and
                  // far apart, so the tests run them one by one (runDurableObjectAlarm).
                  OFFBOARD_ROWS_PER_STEP: '40',
                  OFFBOARD_STEP_DELAY_MS: '600000',
                  // Long enough that two writes a test sends together always meet in one batch
                  // once writes arrive together (production waits 2 ms).
                  GROUP_COMMIT_LINGER_MS: '50',
                },
                serviceBindings: { GRAPH_FETCHER: (request: Request) => graph.fetch(request) },
                // The default per-key limit (60 units of 10 requests: 600 a minute), low enough
                // for a test to pass it in a few seconds and above what any other test sends
                // with one key in a minute.
                ratelimits: {
                  KEY_RATE_LIMIT: { namespace_id: '1001', simple: { limit: 6, period: 60 } },
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['test/workers/**/*.test.ts'],
            // Whole provisioning sequences and races run in real workerd on a shared 2-core machine.
            testTimeout: 30_000,
            setupFiles: ['./test/support/apply-migrations.ts'],
          },
        },
      ],
    },
  }
})
