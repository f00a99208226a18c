/**
 * @module The console's admins as the operator sees them, under /tenants/:id/admins: invite the
 * first owner (or anyone) and list them. An invitation answers a one-time link (valid 72 hours,
 * single use, stored hashed) that the operator hands to the invitee.
 */
import { Hono } from 'hono'
import { InviteSchema } from '../../domain/admins'
import type { HonoTypes } from '../../env'
import { randomSecret } from '../../lib/secrets'
import { listAdmins, type AdminRow } from '../../storage/repos/admins'
import { unwrap } from '../../tenant-do/client'
import { invitationUrl, publicOrigin } from '../public-url'
import { operatorWriter, tenantOr404 } from './context'
import { adminValidator } from './validate'

/** What the admin API shows of an admin: never the password hash. */
const adminView = (a: AdminRow) => ({
  id: a.id,
  email: a.email,
  name: a.name,
  role: a.role,
  passwordSet: a.passwordHash !== null,
  lastSignInAt: a.lastSignInAt,
  createdAt: a.createdAt,
})

export function adminsRouter(): Hono<HonoTypes> {
  const app = new Hono<HonoTypes>({ strict: false })

  app.post('/admins', adminValidator('json', InviteSchema), async (c) => {
    const { tenant, writer, envelope } = await operatorWriter(c)
    const { secret, hash } = await randomSecret()
    const { admin, expiresAt } = unwrap(
      await writer.inviteAdmin(envelope, c.req.valid('json'), { tokenHash: hash })
    )
    const url = invitationUrl(publicOrigin(c.env, tenant.region, c.req.url), tenant.id, secret)
    return c.json({ admin: adminView(admin), invitation: { url, expiresAt } }, 201)
  })

  app.get('/admins', async (c) => {
    const { tenant, db } = await tenantOr404(c, c.req.param('id') ?? '')
    return c.json({ admins: (await listAdmins(db, tenant.id)).map(adminView) })
  })

  return app
}
