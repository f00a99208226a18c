/**
 * @module Composition root: the Worker's fetch and scheduled handlers and the Durable Object
 * class. Nothing else lives here.
 */
import { buildApp, normalizeRequest } from './app'
import { runScheduled } from './cron/scheduled'
import type { Env } from './env'

export { SignInGuard } from './sign-in-guard/guard'
export { TenantWriter } from './tenant-do/tenant-writer'

const app = buildApp()

export default {
  fetch(request, env, ctx) {
    return app.fetch(normalizeRequest(request), env, ctx)
  },
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime)
  },
} satisfies ExportedHandler<Env>
