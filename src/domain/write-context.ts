/**
 * @module What a write needs from its surroundings: the tenant's database, the time and an id
 * source. Services only run inside the tenant's Durable Object, one at a time.
 */
import type { Db } from '../storage/db'
import { badRequest, conflict, ScimError } from '../scim/errors'
import { etagMatches, type StoredResource } from './resource'
import type { Statement } from '../storage/repos/users'

export interface WriteContext {
  db: Db
  tenantId: string
  /** ISO timestamp of this write. */
  now: string
  newId: () => string
}

/** Commits statements atomically; a unique-index race (which the queue should prevent) is a 409. */
export async function commit(ctx: WriteContext, statements: Statement[], what: string): Promise<void> {
  const [first, ...rest] = statements
  if (!first) return
  try {
    await ctx.db.batch([first, ...rest])
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/i.test(error.message)) {
      throw conflict(`${what} already exists`)
    }
    throw error
  }
}

/** RFC 7644 §3.14: a write with If-Match that no longer names the current version fails with 412. */
export function checkIfMatch(ifMatch: string | undefined, current: StoredResource): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, current.version)) {
    throw new ScimError(412, 'The resource has changed since the version named in If-Match')
  }
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest('invalidValue', `Attribute "${name}" is required`)
  }
  return value
}

/** The next stored state of a resource whose document changed. */
export const nextVersion = (ctx: WriteContext, current: StoredResource, doc: StoredResource['doc']): StoredResource => ({
  ...current,
  doc,
  version: current.version + 1,
  updatedAt: ctx.now,
})
