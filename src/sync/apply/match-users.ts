/**
 * @module Which product user each Entra user of a chunk is: the one this instance linked it to;
 * else the one whose externalId is its Entra object id (the sync writes it, so an instance
 * deleted and created again for the same directory finds the users the old one made, even after
 * a UPN change); else the one whose userName is its UPN (a user made by SCIM, or by a sync from
 * before externalIds were written). A product user another Entra user holds (this instance's
 * link, an externalId naming another Entra object, or a match earlier in the chunk) is never
 * adopted: that Entra user is skipped and reported.
 */
import type { StoredResource } from '../../model/resource'
import type { GraphUser } from '../../graph/schemas'
import { usersByExternalIds, usersByIds, usersByUserNames } from '../../storage/repos/users'
import { namesOtherObject } from '../entra-mapping'
import type { ApplyDeps } from './context'

export interface ProductUsers {
  /** Entra id → the product user it is. */
  found: Map<string, StoredResource>
  /** Entra ids whose product user is held by another Entra user. */
  blocked: Set<string>
}

interface Match {
  entraId: string
  product: StoredResource
}

async function byLink(deps: ApplyDeps, users: readonly GraphUser[]): Promise<Match[]> {
  const { ctx, stage, run } = deps
  const links = stage.linksFor(
    run.instanceId,
    'user',
    users.map((u) => u.id)
  )
  const linked = await usersByIds(ctx.db, ctx.tenantId, [...links.values()])
  const byId = new Map(linked.map((p) => [p.id, p]))
  return [...links].flatMap(([entraId, id]) => {
    const product = byId.get(id)
    return product ? [{ entraId, product }] : []
  })
}

const folded = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '')

async function byExternalId(deps: ApplyDeps, users: readonly GraphUser[]): Promise<Match[]> {
  const { ctx } = deps
  const found = await usersByExternalIds(
    ctx.db,
    ctx.tenantId,
    users.map((u) => u.id)
  )
  // Several users with one externalId (set by hand, say): the oldest one.
  const byExternal = new Map<string, StoredResource>()
  for (const p of found.sort((a, b) => a.id.localeCompare(b.id)))
    if (!byExternal.has(folded(p.doc.externalId))) byExternal.set(folded(p.doc.externalId), p)
  return users.flatMap((u) => {
    const product = byExternal.get(u.id.toLowerCase())
    return product ? [{ entraId: u.id, product }] : []
  })
}

const userNameOf = (u: GraphUser) => (u.userPrincipalName ?? u.id).toLowerCase()

async function byUserName(deps: ApplyDeps, users: readonly GraphUser[]): Promise<Match[]> {
  const { ctx } = deps
  const named = await usersByUserNames(ctx.db, ctx.tenantId, users.map(userNameOf))
  const byName = new Map(named.map((p) => [folded(p.doc.userName), p]))
  return users.flatMap((u) => {
    const product = byName.get(userNameOf(u))
    return product ? [{ entraId: u.id, product }] : []
  })
}

/** Takes the matches nobody else holds; the others' Entra users are blocked. */
function claim(deps: ApplyDeps, result: ProductUsers, matches: readonly Match[]): void {
  const owners = deps.stage.ownersOf(
    deps.run.instanceId,
    'user',
    matches.map((m) => m.product.id)
  )
  const taken = new Set([...result.found.values()].map((p) => p.id))
  for (const { entraId, product } of matches) {
    const owner = owners.get(product.id)
    const held =
      (owner !== undefined && owner !== entraId) ||
      taken.has(product.id) ||
      (owner === undefined && namesOtherObject(product.doc.externalId, entraId))
    if (held) result.blocked.add(entraId)
    else {
      result.found.set(entraId, product)
      taken.add(product.id)
    }
  }
}

export async function productUsers(
  deps: ApplyDeps,
  users: readonly GraphUser[]
): Promise<ProductUsers> {
  const result: ProductUsers = { found: new Map(), blocked: new Set() }
  const unmatched = () => users.filter((u) => !result.found.has(u.id) && !result.blocked.has(u.id))
  claim(deps, result, await byLink(deps, users))
  claim(deps, result, await byExternalId(deps, unmatched()))
  claim(deps, result, await byUserName(deps, unmatched()))
  return result
}
