/**
 * @module Key routes, mounted twice: tenant-level keys under /tenants/:id/keys and an
 * instance's keys under /tenants/:id/instances/:instanceId/keys. A token appears exactly once,
 * in the response that creates or regenerates it; only its SHA-256 is stored.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { issueKey, keyView, newSecret } from '../../domain/keys'
import type { AppEnv } from '../../env'
import { getInstance } from '../../storage/repos/instances'
import { insertKey, listKeys, replaceKeySecret, revokeKey } from '../../storage/repos/tenants'
import { scimUrlFor, tenantOr404, type TenantScope } from './context'
import { AdminError } from './errors'
import { adminValidator } from './validate'

const KeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  scope: z.enum(['scim', 'agent']).default('scim'),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
})

interface KeyOwner extends TenantScope {
  instanceId: string | undefined
}

/** The tenant and, under /instances/:instanceId, the instance (404 when unknown). */
async function ownerOf(c: Context<AppEnv>): Promise<KeyOwner> {
  const scope = await tenantOr404(c, c.req.param('id') ?? '')
  const instanceId = c.req.param('instanceId')
  if (instanceId === undefined) return { ...scope, instanceId }
  const instance = await getInstance(scope.db, scope.tenant.id, instanceId)
  if (!instance) throw new AdminError(404, `Instance "${instanceId}" not found`)
  if (instance.kind === 'entra-pull')
    throw new AdminError(400, 'An entra-pull instance has no keys')
  return { ...scope, instanceId }
}

export function keysRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

  app.post('/', adminValidator('json', KeyBody), async (c) => {
    const { tenant, db, instanceId } = await ownerOf(c)
    const body = c.req.valid('json')
    const { row, token } = await issueKey({
      tenantId: tenant.id,
      region: tenant.region,
      instanceId: instanceId ?? null,
      scope: body.scope,
      name: body.name,
      rateLimitPerMinute: body.rateLimitPerMinute ?? null,
      now: new Date().toISOString(),
    })
    await insertKey(db, row)
    return c.json({ ...keyView(row), token, scimUrl: scimUrlFor(c, tenant.region) }, 201)
  })

  app.get('/', async (c) => {
    const { tenant, db, instanceId } = await ownerOf(c)
    return c.json({ keys: (await listKeys(db, tenant.id, instanceId)).map(keyView) })
  })

  app.delete('/:keyId', async (c) => {
    const { tenant, db, instanceId } = await ownerOf(c)
    const revoked = await revokeKey(
      db,
      tenant.id,
      c.req.param('keyId'),
      new Date().toISOString(),
      instanceId
    )
    if (!revoked) throw new AdminError(404, `No live key "${c.req.param('keyId')}" here`)
    return c.body(null, 204)
  })

  app.post('/:keyId/regenerate', async (c) => {
    const { tenant, db, instanceId } = await ownerOf(c)
    const keyId = c.req.param('keyId')
    const secret = await newSecret(tenant.region, keyId)
    const replaced = await replaceKeySecret(db, tenant.id, keyId, secret.secretHash, instanceId)
    if (!replaced) throw new AdminError(404, `No live key "${keyId}" here`)
    return c.json({
      id: keyId,
      prefix: secret.prefix,
      token: secret.token,
      scimUrl: scimUrlFor(c, tenant.region),
    })
  })

  return app
}
