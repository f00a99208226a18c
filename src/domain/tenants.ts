/**
 * @module Creating a tenant, inside its own Durable Object. A tenant in `group-roles` mode (Apty)
 * starts with a default role, so a provisioned user always has a role; one in `groups-as-roles`
 * mode (TrackTik) needs none, since every group is a role. The tenant row, its default role and
 * their history land in one batch.
 */
import { z } from 'zod'
import type { AttributeChange } from '../directory/changes'
import { fold } from '../lib/text'
import { badRequest, conflict } from '../scim/errors'
import { insertRoleStatement, type RoleRow } from '../storage/repos/roles'
import { getTenant, insertTenantStatement } from '../storage/repos/tenants'
import { Changeset, commit } from './changeset'
import { parseInput } from './input'
import { REGIONS, regionOfTenant, type Tenant } from '../model/tenant'
import type { WriteContext } from './write-context'

/** Apty's name for the role everyone has until a group grants another. */
const DEFAULT_ROLE_NAME = 'Content Creator'

export const tenantSpecSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    region: z.enum(REGIONS),
    roleMode: z.enum(['group-roles', 'groups-as-roles']).default('group-roles'),
    /** The default role's name (group-roles mode only); DEFAULT_ROLE_NAME when not given. */
    defaultRoleName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((s) => s.roleMode === 'group-roles' || s.defaultRoleName === undefined, {
    path: ['defaultRoleName'],
    error: 'a groups-as-roles tenant has no default role: every group is a role',
  })
export type TenantSpecInput = z.input<typeof tenantSpecSchema>

const roleRow = (ctx: WriteContext, name: string): RoleRow => ({
  tenantId: ctx.tenantId,
  id: ctx.newId(),
  name,
  nameCi: fold(name),
  createdAt: ctx.now,
})

/** Creates the tenant the context names (its id was made for the spec's region). */
export async function createTenant(ctx: WriteContext, input: TenantSpecInput): Promise<Tenant> {
  const spec = parseInput(tenantSpecSchema, input)
  if (regionOfTenant(ctx.tenantId) !== spec.region)
    throw badRequest('invalidValue', `Tenant id "${ctx.tenantId}" is not of region ${spec.region}`)
  if (await getTenant(ctx.db, ctx.tenantId))
    throw conflict(`Tenant "${ctx.tenantId}" already exists`)
  const role =
    spec.roleMode === 'group-roles'
      ? roleRow(ctx, spec.defaultRoleName ?? DEFAULT_ROLE_NAME)
      : undefined
  const tenant: Tenant = {
    id: ctx.tenantId,
    name: spec.name,
    region: spec.region,
    createdAt: ctx.now,
    defaultRoleId: role?.id ?? null,
    roleMode: spec.roleMode,
  }
  // The tenant row goes first: the role and the history rows reference it.
  const cs = new Changeset().add(insertTenantStatement(ctx.db, tenant))
  const changes: AttributeChange[] = [
    { attr: 'name', after: tenant.name },
    { attr: 'region', after: tenant.region },
    { attr: 'roleMode', after: tenant.roleMode },
    { attr: 'defaultRoleId', after: tenant.defaultRoleId },
  ]
  cs.record({ op: 'tenant.create', resourceType: 'Tenant', resourceId: tenant.id, changes })
  if (role) {
    cs.add(insertRoleStatement(ctx.db, role)).record({
      op: 'role.create',
      resourceType: 'Role',
      resourceId: role.id,
      changes: [{ attr: 'name', after: role.name }],
    })
  }
  await commit(ctx, cs, `Tenant "${tenant.id}"`)
  return tenant
}
