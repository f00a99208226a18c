/**
 * @module Key routes, mounted twice: tenant-level keys under /tenants/:id/keys and an
 * instance's keys under /tenants/:id/instances/:instanceId/keys. A token appears exactly once,
 * in the response that creates or regenerates it; only its SHA-256 is stored. Writes go
 * through the tenant's Durable Object and are recorded in the history.
 */
import { Hono, type Context } from 'hono'
import { keySpecSchema, keyView, requireKeyInstance } from '../../domain/keys'
import type { HonoTypes } from '../../env'
import { listKeys } from '../../storage/repos/tenants'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { scimUrlFor, tenantOr404, type TenantScope } from './context'
import { operatorEnvelope } from '../envelope'
import { adminValidator } from './validate'

/** The tenant (404 when unknown) and the instance id under /instances/:instanceId. */
async function ownerOf(c: Context<HonoTypes>): Promise<TenantScope & { instanceId?: string }> {
  const scope = await tenantOr404(c, c.req.param('id') ?? '')
  const instanceId = c.req.param('instanceId')
  return instanceId === undefined ? scope : { ...scope, instanceId }
}

export function keysRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.post('/', adminValidator('json', keySpecSchema), async (c) => {
    const { tenant, instanceId } = await ownerOf(c)
    const key = unwrap(
      await tenantWriter(c.env, tenant.id).createKey(
        operatorEnvelope(c, tenant.id),
        instanceId ?? null,
        c.req.valid('json')
      )
    )
    return c.json({ ...key, scimUrl: scimUrlFor(c, tenant.region) }, 201)
  })

  app.get('/', async (c) => {
    const { tenant, db, instanceId } = await ownerOf(c)
    if (instanceId !== undefined) await requireKeyInstance(db, tenant.id, instanceId)
    return c.json({ keys: (await listKeys(db, tenant.id, instanceId)).map(keyView) })
  })

  app.delete('/:keyId', async (c) => {
    const { tenant, instanceId } = await ownerOf(c)
    unwrap(
      await tenantWriter(c.env, tenant.id).revokeKey(
        operatorEnvelope(c, tenant.id),
        c.req.param('keyId'),
        instanceId
      )
    )
    return c.body(null, 204)
  })

  app.post('/:keyId/regenerate', async (c) => {
    const { tenant, instanceId } = await ownerOf(c)
    const key = unwrap(
      await tenantWriter(c.env, tenant.id).regenerateKey(
        operatorEnvelope(c, tenant.id),
        c.req.param('keyId'),
        instanceId
      )
    )
    return c.json({
      id: key.id,
      prefix: key.prefix,
      token: key.token,
      scimUrl: scimUrlFor(c, tenant.region),
    })
  })

  return app
}
