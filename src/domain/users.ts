/**
 * @module User writes: create, replace, patch, delete (RFC 7644 §3.3, §3.5.1, §3.5.2, §3.6).
 * userName is unique per tenant case-insensitively; a write that changes nothing does not bump
 * the version. Each write also carries its effects on the directory in the same batch: agent
 * links, the Do Not Track list (`tracking=false`), suspension (`active=false`) and its history.
 */
import { diffDocuments } from '../directory/changes'
import { isActive, sameIdentifiers, trackingOf, userIdentifiers } from '../directory/identifiers'
import { isDeepStrictEqual } from '../lib/equal'
import { notFound } from '../scim/errors'
import { applyPatch, parsePatchRequest } from '../scim/patch'
import { USER_RESOURCE_TYPE, resolverFor } from '../scim/schemas'
import type { ScimDocument } from '../scim/schemas/attribute'
import { normalizeResource } from '../scim/schemas/normalize'
import { readInBatch, tenantIs } from '../storage/read-batch'
import { groupsOfUsersRead, idList, type MemberRef } from '../storage/repos/relations'
import { getUser, writeUsersStatements } from '../storage/repos/users'
import { relinkForUsers, type UserIdentityChange } from './agents'
import { Changeset, commit, commitNextVersion } from './changeset'
import { requestDeletion, type DeletionSource } from './deletions'
import { ensureUserDnt } from './dnt'
import type { StoredResource } from '../model/resource'
import { checkIfMatch, firstVersion, type WriteContext } from './write-context'

const resolveUser = resolverFor(USER_RESOURCE_TYPE)

/**
 * userName is unique per tenant, case-insensitively (RFC 7643 §4.1.1): the unique index on the
 * folded name decides, inside the write's own batch, so the check costs no extra round trip and
 * cannot race. A refused batch writes nothing.
 */
const userNameTaken = (doc: ScimDocument): string =>
  `A user with userName "${String(doc.userName)}"`

async function loadUser(ctx: WriteContext, id: string, ifMatch?: string): Promise<StoredResource> {
  const current = ctx.known.user(id) ?? (await getUser(ctx.db, ctx.tenantId, id))
  if (!current) throw notFound(`User "${id}" not found`)
  ctx.known.rememberUser(current)
  checkIfMatch(ifMatch, current)
  return current
}

/** The history op of a user write: suspension and restore are named as such. */
function userOp(before: ScimDocument | undefined, after: ScimDocument): string {
  if (!before) return 'user.create'
  if (isActive(before) !== isActive(after)) return isActive(after) ? 'user.restore' : 'user.suspend'
  return 'user.update'
}

export interface UserWrite {
  before: StoredResource | undefined
  after: StoredResource
}

/**
 * Adds user writes, their history and their directory effects to the changeset; the agents of
 * all of them are re-linked together, so a bulk write costs a few lookups, not a few per user.
 */
export async function stageUserWrites(
  ctx: WriteContext,
  cs: Changeset,
  writes: readonly UserWrite[]
): Promise<void> {
  const relinks: UserIdentityChange[] = []
  cs.add(
    ...writeUsersStatements(
      ctx.db,
      ctx.tenantId,
      writes.map((w) => ({ user: w.after, isNew: w.before === undefined }))
    )
  )
  for (const { before, after } of writes) {
    cs.record({
      op: userOp(before?.doc, after.doc),
      resourceType: 'User',
      resourceId: after.id,
      userId: after.id,
      changes: diffDocuments(before?.doc, after.doc),
    })
    if (
      trackingOf(after.doc) === false &&
      (before === undefined || trackingOf(before.doc) !== false)
    ) {
      await ensureUserDnt(ctx, cs, after, 'tracking', { isNew: before === undefined })
    }
    const change = {
      userId: after.id,
      before: before && userIdentifiers(before.doc),
      after: userIdentifiers(after.doc),
    }
    // Links depend on identifiers only: a write that keeps them (a rename, a suspension) relinks nothing.
    if (!change.before || !sameIdentifiers(change.before, change.after)) relinks.push(change)
  }
  await relinkForUsers(ctx, cs, relinks)
}

export async function createUser(ctx: WriteContext, body: unknown): Promise<StoredResource> {
  const doc = normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'create' })
  const user = firstVersion(ctx, doc)
  const cs = new Changeset()
  await stageUserWrites(ctx, cs, [{ before: undefined, after: user }])
  await commit(ctx, cs, userNameTaken(doc))
  ctx.known.rememberUser(user)
  return user
}

/**
 * A user as its replace or patch left it, with its groups as the write's own batch read them
 * (after the write, in the same transaction), so the answer shows them without a round trip of
 * its own. `groups` is filled in once the batch commits, before the write is answered.
 */
export type WrittenUser = StoredResource & { groups?: MemberRef[] }

/** The statement that reads the user's groups into `into.groups` once its batch commits. */
const groupsRead = (ctx: WriteContext, id: string, into: { groups?: MemberRef[] }) =>
  readInBatch(groupsOfUsersRead(tenantIs(ctx.tenantId), idList([id])), (relation) => {
    into.groups = relation.get(id) ?? []
  })

/** Saves a user's next version unless it is the same; either way its groups are read. */
async function saveUser(
  ctx: WriteContext,
  current: StoredResource,
  doc: ScimDocument
): Promise<WrittenUser> {
  const answer: { groups?: MemberRef[] } = {}
  const read = groupsRead(ctx, current.id, answer)
  if (isDeepStrictEqual(doc, current.doc)) {
    // Nothing to write: the batch only reads (free when it joins other writes' batch).
    await commit(ctx, new Changeset().add(read), userNameTaken(doc))
    return Object.assign(answer, current)
  }
  const next = await commitNextVersion(
    ctx,
    current,
    doc,
    async (cs, next) => {
      await stageUserWrites(ctx, cs, [{ before: current, after: next }])
      cs.add(read)
    },
    userNameTaken(doc)
  )
  ctx.known.rememberUser(next)
  return Object.assign(answer, next)
}

export async function replaceUser(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<WrittenUser> {
  const current = await loadUser(ctx, id, ifMatch)
  const doc = normalizeResource(USER_RESOURCE_TYPE, body, { mode: 'replace' })
  return saveUser(ctx, current, doc)
}

export async function patchUser(
  ctx: WriteContext,
  id: string,
  body: unknown,
  ifMatch?: string
): Promise<WrittenUser> {
  const ops = parsePatchRequest(body)
  const current = await loadUser(ctx, id, ifMatch)
  const { doc } = applyPatch(current.doc, ops, {
    resourceType: USER_RESOURCE_TYPE,
    resolve: resolveUser,
  })
  return saveUser(ctx, current, doc)
}

export async function deleteUser(
  ctx: WriteContext,
  id: string,
  ifMatch?: string,
  source: DeletionSource = 'scim'
): Promise<void> {
  const current = await loadUser(ctx, id, ifMatch)
  const cs = new Changeset()
  await requestDeletion(ctx, cs, current, source)
  await commit(ctx, cs, {
    message: `User "${id}" was not deleted: its Do Not Track entry or deletion record was written by another change at the same time; retry the DELETE`,
  })
}
