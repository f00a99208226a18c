/**
 * @module Tenants and regions. A tenant id carries its region (`us_…`, `eu_…`) so that every
 * request reaches the right regional database with no global lookup.
 */
export const REGIONS = ['us', 'eu'] as const
export type Region = (typeof REGIONS)[number]

const TENANT_ID = /^(us|eu)_[a-z0-9]{16}$/

export function newTenantId(region: Region, random: string): string {
  return `${region}_${random}`
}

/** The region of a well-formed tenant id, or undefined for anything else. */
export function regionOfTenant(tenantId: string): Region | undefined {
  const prefix = TENANT_ID.exec(tenantId)?.[1]
  return REGIONS.find((r) => r === prefix)
}

export interface Tenant {
  id: string
  name: string
  region: Region
  createdAt: string
  defaultRoleId: string | null
  roleMode: 'group-roles' | 'groups-as-roles'
}
