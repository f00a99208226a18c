/**
 * Creating a tenant: in `group-roles` mode (Apty) it starts with a default role, "Content
 * Creator" unless named otherwise, so a provisioned user always has a role; in
 * `groups-as-roles` mode (TrackTik) it has none. The tenant, its role and their history are
 * written together, in the tenant's region.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, type HistoryEntry } from '../support/directory'
import { admin, createTenant, json, scimClient } from '../support/scim'

interface TenantBody {
  id: string
  name: string
  region: string
  roleMode: string
  defaultRoleId: string | null
  scimUrl: string
}

interface RolesBody {
  roleMode: string
  defaultRoleId: string | null
  roles: { id: string; name: string; isDefault: boolean }[]
}

const roleOf = async (tenantId: string, userId: string) =>
  (await adminJson<{ role: unknown }>('GET', `/tenants/${tenantId}/users/${userId}`)).role

describe('Tenant creation', () => {
  it('Should give a new group-roles tenant the default role "Content Creator", recorded', async ({
    expect,
  }) => {
    const tenant = await adminJson<TenantBody>(
      'POST',
      '/tenants',
      { name: 'Apty Co', region: 'eu' },
      201
    )
    expect(tenant).toMatchObject({ name: 'Apty Co', region: 'eu', roleMode: 'group-roles' })
    const roles = await adminJson<RolesBody>('GET', `/tenants/${tenant.id}/roles`)
    expect(roles.roles).toEqual([
      {
        kind: 'role',
        id: tenant.defaultRoleId,
        name: 'Content Creator',
        isDefault: true,
        createdAt: expect.any(String) as unknown,
      },
    ])
    const { entries } = await adminJson<{ entries: HistoryEntry[] }>(
      'GET',
      `/tenants/${tenant.id}/history`
    )
    expect(entries.map((e) => [e.op, e.resourceId, e.actor])).toEqual([
      ['role.create', tenant.defaultRoleId, 'operator'],
      ['tenant.create', tenant.id, 'operator'],
    ])
    expect(entries[1]?.changes).toEqual([
      { attr: 'name', after: 'Apty Co' },
      { attr: 'region', after: 'eu' },
      { attr: 'roleMode', after: 'group-roles' },
      { attr: 'defaultRoleId', after: tenant.defaultRoleId },
    ])
    const inUs = await env.DB_US.prepare('SELECT count(*) AS n FROM roles WHERE tenant_id = ?')
      .bind(tenant.id)
      .first<{ n: number }>()
    expect(inUs?.n).toBe(0)
  })

  it('Should give a user provisioned into a new tenant its default role at once', async ({
    expect,
  }) => {
    const tenant = await createTenant('us', 'Apty Co', { defaultRoleName: 'Viewer' })
    const user = await json(
      await scimClient(tenant).post('/Users', { userName: 'new.hire@contoso.com' })
    )
    expect(await roleOf(tenant.id, user.id)).toMatchObject({ kind: 'default', name: 'Viewer' })
  })

  it('Should create a groups-as-roles tenant without a default role', async ({ expect }) => {
    const tenant = await adminJson<TenantBody>(
      'POST',
      '/tenants',
      { name: 'TrackTik Co', region: 'us', roleMode: 'groups-as-roles' },
      201
    )
    expect(tenant).toMatchObject({ roleMode: 'groups-as-roles', defaultRoleId: null })
    expect(await adminJson<RolesBody>('GET', `/tenants/${tenant.id}/roles`)).toEqual({
      roleMode: 'groups-as-roles',
      defaultRoleId: null,
      roles: [],
      nextCursor: null,
    })
    const { entries } = await adminJson<{ entries: HistoryEntry[] }>(
      'GET',
      `/tenants/${tenant.id}/history`
    )
    expect(entries.map((e) => e.op)).toEqual(['tenant.create'])
    expect(entries[0]?.changes).toContainEqual({ attr: 'roleMode', after: 'groups-as-roles' })
  })

  it.for([
    [
      { name: 'X', region: 'us', roleMode: 'groups-as-roles', defaultRoleName: 'Viewer' },
      'defaultRoleName',
    ],
    [{ name: 'X', region: 'us', roleMode: 'admins-only' }, 'roleMode'],
    [{ name: 'X', region: 'us', defaultRoleName: '  ' }, 'defaultRoleName'],
  ] as const)('Should refuse %o with a 400 naming %s', async ([body, field], { expect }) => {
    const before = await env.DB_US.prepare('SELECT count(*) AS n FROM tenants').first()
    const res = await admin('POST', '/tenants', body)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { message: string } }>()).error.message).toContain(field)
    expect(await env.DB_US.prepare('SELECT count(*) AS n FROM tenants').first()).toEqual(before)
  })
})
