/**
 * @module User writes: create, replace, patch, delete (RFC 7644 §3.3, §3.5.1, §3.5.2, §3.6).
 * userName is unique per tenant case-insensitively; a write that changes nothing does not
 * bump the version.
 */
import { conflict, notFound } from '../scim/errors'
import { applyPatch, parsePatchRequest } from '../scim/patch'
import { USER_RESOURCE_TYPE, resolverFor } from '../scim/schemas'
import { normalizeResource } from '../scim/schemas/normalize'
import type { ScimDocument } from '../scim/schemas/attribute'
import {
  deleteUserStatements,
  findUserIdByUserName,
  getUser,
  writeUserStatements,
} from '../storage/repos/users'
import type { StoredResource } from './resource'
import { checkIfMatch, commit, nextVersion, requireString, type WriteContext } from './write-context'
import { isDeepStrictEqual } from '../lib/equal'

const resolveUser = resolverFor(USER_RESOURCE_TYPE)

async function ensureUserNameFree(ctx: WriteContext, doc: ScimDocument, selfId?: string): Promise<void> {
  const userName = requireString(doc.userName, 'userName')
  const holder = await findUserIdByUserName(ctx.db, ctx.tenantId, userName)
  if (holder !== undefined && holder !== selfId) {
    throw conflict(`A user with userName "${userName}" already exists`)
  }
}

async function loadUser(ctx: WriteContext, id: string, ifMatch: string | undefined): Promise<StoredResource> {
  const current = await getUser(ctx.db, ctx.tenantId, id)
  if (!current) throw notFound(`User "${id}" not found`)
  checkIfMatch(ifMatch, current)
  return current
}

export async function createUser(ctx: WriteContext, body: unknown): Promise<StoredResource> {
  const doc = normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'create' })
  await ensureUserNameFree(ctx, doc)
  const user: StoredResource = { id: ctx.newId(), doc, version: 1, createdAt: ctx.now, updatedAt: ctx.now }
  await commit(ctx, writeUserStatements(ctx.db, ctx.tenantId, user, true), 'userName')
  return user
}

async function saveUser(ctx: WriteContext, current: StoredResource, doc: ScimDocument): Promise<StoredResource> {
  if (isDeepStrictEqual(doc, current.doc)) return current
  await ensureUserNameFree(ctx, doc, current.id)
  const next = nextVersion(ctx, current, doc)
  await commit(ctx, writeUserStatements(ctx.db, ctx.tenantId, next, false), 'userName')
  return next
}

export async function replaceUser(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<StoredResource> {
  const current = await loadUser(ctx, id, ifMatch)
  const doc = normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'replace' })
  return saveUser(ctx, current, doc)
}

export async function patchUser(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<StoredResource> {
  const ops = parsePatchRequest(body)
  const current = await loadUser(ctx, id, ifMatch)
  const { doc } = applyPatch(current.doc, ops, { resourceType: USER_RESOURCE_TYPE, resolve: resolveUser })
  return saveUser(ctx, current, doc)
}

export async function deleteUser(ctx: WriteContext, id: string, ifMatch?: string): Promise<void> {
  await loadUser(ctx, id, ifMatch)
  await commit(ctx, deleteUserStatements(ctx.db, ctx.tenantId, id, ctx.now), 'user')
}
