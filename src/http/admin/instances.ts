/**
 * @module Integration instances under /tenants/:id/instances: create (a SCIM kind answers its
 * first key once, with the tenant URL for the tenant's region), list, show, update, disable
 * (its keys answer 401), enable, delete (its keys are revoked), the instance's keys, and for a
 * pull instance "sync now" and its run reports.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { instanceView, isScimKind, secretOwner, type PullSettings } from '../../domain/instances'
import { issueKey, keyView } from '../../domain/keys'
import type { AppEnv } from '../../env'
import { randomToken } from '../../lib/ids'
import { seal } from '../../lib/sealed'
import { fold } from '../../lib/text'
import { executeBatch, type Statement } from '../../storage/db'
import {
  deleteInstanceStatement,
  getInstance,
  insertInstanceStatement,
  listInstances,
  revokeInstanceKeysStatement,
  updateInstanceStatement,
  type InstanceRow,
} from '../../storage/repos/instances'
import { insertKeyStatement } from '../../storage/repos/tenants'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { operatorEnvelope, PageQuery, scimUrlFor, tenantOr404, type TenantScope } from './context'
import { AdminError } from './errors'
import { keysRouter } from './keys'
import { adminValidator } from './validate'

const Name = z.string().trim().min(1).max(200)
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const GUID_OR_DOMAIN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/i
const GroupName = z.string().trim().min(1).max(256)

const PullFields = {
  /** The Entra tenant id (a GUID) or one of its verified domains; it goes into the token URL. */
  directoryId: z
    .string()
    .trim()
    .regex(
      GUID_OR_DOMAIN,
      'must be the directory (tenant) id, a GUID, or a verified domain such as contoso.com'
    ),
  /** The application (client) id of the app registration. */
  clientId: z.string().trim().regex(GUID, 'must be the application (client) id, a GUID'),
  clientSecret: z.string().min(1).max(1024),
  groupsParent: GroupName,
  dntParent: GroupName.nullable().optional(),
  deleteParent: GroupName.nullable().optional(),
  intervalHours: z.number().int().min(1).max(168).optional(),
  syncAttributes: z.boolean().optional(),
}

const CreateBody = z.discriminatedUnion('kind', [
  z.object({ name: Name, kind: z.enum(['entra-scim', 'okta-scim']), keyName: Name.optional() }),
  z.object({ name: Name, kind: z.literal('entra-pull'), ...PullFields }),
])

const UpdateBody = z.object({ name: Name, ...PullFields }).partial()

function sealingKey(c: Context<AppEnv>): string {
  const key = c.env.SECRETS_KEY
  if (!key) throw new AdminError(503, 'Pull sync instances need the SECRETS_KEY secret to be set')
  return key
}

async function instanceOr404(c: Context<AppEnv>): Promise<TenantScope & { instance: InstanceRow }> {
  const scope = await tenantOr404(c, c.req.param('id') ?? '')
  const instance = await getInstance(scope.db, scope.tenant.id, c.req.param('instanceId') ?? '')
  if (!instance)
    throw new AdminError(404, `Instance "${c.req.param('instanceId') ?? ''}" not found`)
  return { ...scope, instance }
}

async function run(d1: D1Database, statements: Statement[], what: string): Promise<void> {
  try {
    await executeBatch(d1, statements)
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/i.test(error.message)) {
      throw new AdminError(409, `${what} already exists`)
    }
    throw error
  }
}

const pullSettings = (
  f: z.infer<typeof UpdateBody>,
  base: PullSettings | undefined
): PullSettings => ({
  directoryId: f.directoryId ?? base?.directoryId ?? '',
  clientId: f.clientId ?? base?.clientId ?? '',
  groupsParent: f.groupsParent ?? base?.groupsParent ?? '',
  dntParent: f.dntParent === undefined ? (base?.dntParent ?? null) : f.dntParent,
  deleteParent: f.deleteParent === undefined ? (base?.deleteParent ?? null) : f.deleteParent,
  intervalHours: f.intervalHours ?? base?.intervalHours ?? 24,
  syncAttributes: f.syncAttributes ?? base?.syncAttributes ?? false,
})

export function instancesRouter(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false })

  app.post('/', adminValidator('json', CreateBody), async (c) => {
    const { tenant, db, d1 } = await tenantOr404(c, c.req.param('id') ?? '')
    const body = c.req.valid('json')
    const now = new Date().toISOString()
    const row: InstanceRow = {
      id: randomToken(12),
      tenantId: tenant.id,
      name: body.name,
      nameCi: fold(body.name),
      kind: body.kind,
      enabled: true,
      settings: '{}',
      secretCiphertext: null,
      createdAt: now,
      updatedAt: now,
    }
    if (body.kind === 'entra-pull') {
      row.settings = JSON.stringify(pullSettings(body, undefined))
      row.secretCiphertext = await seal(body.clientSecret, sealingKey(c), secretOwner(row))
      await run(d1, [insertInstanceStatement(db, row)], `An instance named "${body.name}"`)
      return c.json({ instance: instanceView(row) }, 201)
    }
    const key = await issueKey({
      tenantId: tenant.id,
      region: tenant.region,
      instanceId: row.id,
      scope: 'scim',
      name: body.keyName ?? body.name,
      rateLimitPerMinute: null,
      now,
    })
    await run(
      d1,
      [insertInstanceStatement(db, row), insertKeyStatement(db, key.row)],
      `An instance named "${body.name}"`
    )
    const scimUrl = scimUrlFor(c, tenant.region)
    return c.json(
      { instance: instanceView(row), key: { ...keyView(key.row), token: key.token }, scimUrl },
      201
    )
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

  app.patch('/:instanceId', adminValidator('json', UpdateBody), async (c) => {
    const { instance, db, d1 } = await instanceOr404(c)
    const body = c.req.valid('json')
    const next: InstanceRow = { ...instance, updatedAt: new Date().toISOString() }
    if (body.name !== undefined) Object.assign(next, { name: body.name, nameCi: fold(body.name) })
    if (instance.kind === 'entra-pull') {
      next.settings = JSON.stringify(
        pullSettings(body, JSON.parse(instance.settings) as PullSettings)
      )
      if (body.clientSecret !== undefined)
        next.secretCiphertext = await seal(body.clientSecret, sealingKey(c), secretOwner(instance))
    } else if (Object.keys(body).some((k) => k !== 'name')) {
      throw new AdminError(400, `A ${instance.kind} instance has only a name to change`)
    }
    const { name, nameCi, settings, secretCiphertext, updatedAt } = next
    await run(
      d1,
      [
        updateInstanceStatement(db, instance.tenantId, instance.id, {
          name,
          nameCi,
          settings,
          secretCiphertext,
          updatedAt,
        }),
      ],
      `An instance named "${next.name}"`
    )
    return c.json({ instance: instanceView(next) })
  })

  for (const [action, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(`/:instanceId/${action}`, async (c) => {
      const { instance, db, d1 } = await instanceOr404(c)
      const updatedAt = new Date().toISOString()
      await run(
        d1,
        [updateInstanceStatement(db, instance.tenantId, instance.id, { enabled, updatedAt })],
        'instance'
      )
      return c.json({ instance: instanceView({ ...instance, enabled, updatedAt }) })
    })
  }

  app.delete('/:instanceId', async (c) => {
    const { instance, db, d1 } = await instanceOr404(c)
    const at = new Date().toISOString()
    await run(
      d1,
      [
        revokeInstanceKeysStatement(db, instance.tenantId, instance.id, at),
        deleteInstanceStatement(db, instance.tenantId, instance.id),
      ],
      'instance'
    )
    unwrap(
      await tenantWriter(c.env, instance.tenantId).forgetInstance(
        operatorEnvelope(c, instance.tenantId),
        instance.id
      )
    )
    return c.body(null, 204)
  })

  app.post('/:instanceId/sync', async (c) => {
    const { instance, tenant } = await instanceOr404(c)
    const run = unwrap(
      await tenantWriter(c.env, tenant.id).startSync(operatorEnvelope(c, tenant.id), instance.id)
    )
    return c.json({ run }, 202)
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
