/**
 * @module Integration instances under /tenants/:id/instances: create (a SCIM kind answers its
 * first key once, with the tenant URL for the tenant's region), list, show, update, disable
 * (its keys answer 401), enable (a pull instance starts syncing at once), delete (its keys are
 * revoked), the instance's keys, and for a pull instance "sync now" and its run reports. The
 * rules and the writes live in the domain and run in the tenant's Durable Object.
 */
import { Hono, type Context } from 'hono'
import {
  instancePatchSchema,
  instanceSpecSchema,
  instanceView,
  isScimKind,
} from '../../domain/instances'
import type { HonoTypes } from '../../env'
import { getInstance, listInstances, type InstanceRow } from '../../storage/repos/instances'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { operatorWriter, PageQuery, scimUrlFor, tenantOr404, type TenantScope } from './context'
import { operatorEnvelope } from '../envelope'
import { AdminError } from './errors'
import { keysRouter } from './keys'
import { adminValidator } from './validate'

async function instanceOr404(
  c: Context<HonoTypes>
): Promise<TenantScope & { instance: InstanceRow }> {
  const scope = await tenantOr404(c, c.req.param('id') ?? '')
  const instance = await getInstance(scope.db, scope.tenant.id, c.req.param('instanceId') ?? '')
  if (!instance)
    throw new AdminError(404, `Instance "${c.req.param('instanceId') ?? ''}" not found`)
  return { ...scope, instance }
}

const instanceId = (c: Context<HonoTypes>): string => c.req.param('instanceId') ?? ''

export function instancesRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.post('/', adminValidator('json', instanceSpecSchema), async (c) => {
    const body = c.req.valid('json')
    const { tenant, writer, envelope } = await operatorWriter(c)
    const created = unwrap(await writer.createInstance(envelope, body))
    if (!created.key) return c.json({ instance: created.instance }, 201)
    const scimUrl = scimUrlFor(c, tenant.region)
    return c.json({ instance: created.instance, key: created.key, scimUrl }, 201)
  })

  app.get('/', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id') ?? '')
    return c.json({ instances: (await listInstances(db, tenant.id)).map(instanceView) })
  })

  app.get('/:instanceId', async (c) => {
    const { instance, tenant } = await instanceOr404(c)
    return c.json({
      instance: instanceView(instance),
      ...(isScimKind(instance.kind) ? { scimUrl: scimUrlFor(c, tenant.region) } : {}),
    })
  })

  app.patch('/:instanceId', adminValidator('json', instancePatchSchema), async (c) => {
    const body = c.req.valid('json')
    const { writer, envelope } = await operatorWriter(c)
    return c.json({ instance: unwrap(await writer.updateInstance(envelope, instanceId(c), body)) })
  })

  for (const [action, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(`/:instanceId/${action}`, async (c) => {
      const { writer, envelope } = await operatorWriter(c)
      return c.json(unwrap(await writer.setInstanceEnabled(envelope, instanceId(c), enabled)))
    })
  }

  app.delete('/:instanceId', async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    unwrap(await writer.deleteInstance(envelope, instanceId(c)))
    return c.body(null, 204)
  })

  app.post('/:instanceId/sync', async (c) => {
    const { writer, envelope } = await operatorWriter(c)
    return c.json({ run: unwrap(await writer.startSync(envelope, instanceId(c))) }, 202)
  })

  app.get(
    '/:instanceId/sync/runs',
    adminValidator('query', PageQuery.pick({ limit: true })),
    async (c) => {
      const { instance, tenant } = await instanceOr404(c)
      const view = unwrap(
        await tenantWriter(c.env, tenant.id).syncRuns(
          operatorEnvelope(c, tenant.id),
          instance.id,
          c.req.valid('query').limit
        )
      )
      return c.json(view)
    }
  )

  app.route('/:instanceId/keys', keysRouter())
  return app
}
