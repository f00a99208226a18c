/**
 * @module The History page's filters, from its query string to a storage filter: a user picked
 * by userName (or named by id in a link), a group by displayName (or id), an op or op family,
 * the actor kind, one admin, one instance, and a date range of whole UTC days. Every id is
 * looked up in the session's tenant: another tenant's id is a 404 page. A user or group deleted
 * since still has its history, so an id the tenant's history names is accepted too.
 */
import { z } from 'zod'
import { listAdmins } from '../../../storage/repos/admins'
import { findGroupIdByDisplayName } from '../../../storage/repos/groups'
import {
  HISTORY_ACTORS,
  historyPage,
  type HistoryFilter,
} from '../../../storage/repos/history-query'
import { getInstance } from '../../../storage/repos/instances'
import { groupNames, userNames } from '../../../storage/repos/names'
import { usersByUserNames } from '../../../storage/repos/users'
import type { ConsoleContext } from '../context'
import { ConsolePageError } from '../errors'
import { OP_FILTER_VALUES } from '../history-words'
import { PageQuery } from '../paging'
import { IdField, optionalField } from '../query-fields'

const DAY = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a date')

/** The filter fields, as the form sends them. */
export const HistoryFilterQuery = z.object({
  user: optionalField(z.string().trim().max(1024)),
  userId: optionalField(IdField),
  group: optionalField(z.string().trim().max(1024)),
  groupId: optionalField(IdField),
  op: optionalField(z.enum(OP_FILTER_VALUES)),
  actor: optionalField(z.enum(HISTORY_ACTORS)),
  actorId: optionalField(IdField),
  instanceId: optionalField(IdField),
  from: optionalField(DAY),
  to: optionalField(DAY),
})

export const HistoryQuery = PageQuery.extend(HistoryFilterQuery.shape)

export type HistoryFields = z.infer<typeof HistoryFilterQuery>

/** A filter ready for storage, what the form shows back, and the query links carry. */
export interface ResolvedFilter {
  filter: HistoryFilter
  /** The user and group picked, by name (null: an id whose user or group is gone). */
  user?: { id: string; name: string | null }
  group?: { id: string; name: string | null }
  /** A userName or displayName that matched nothing: no entry can match. */
  missing?: string
  /** The filters as query parameters, ids resolved (for paging and the CSV link). */
  query: Record<string, string>
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString()

/** How the form's user or group filter is looked up: typed by name, or named by id in a link. */
interface Subject {
  /** The one the typed name picks, with its name as stored; undefined when none has it. */
  byName(c: ConsoleContext, name: string): Promise<{ id: string; name: string } | undefined>
  names(c: ConsoleContext, ids: string[]): Promise<Map<string, string>>
  historyKey: 'userId' | 'groupId'
  noneNamed: (name: string) => string
  noSuch: string
}

const USER: Subject = {
  byName: async ({ var: { session } }, name) => {
    const [found] = await usersByUserNames(session.db, session.tenant.id, [name])
    if (!found) return undefined
    const stored = found.doc.userName
    return { id: found.id, name: typeof stored === 'string' ? stored : name }
  },
  names: ({ var: { session } }, ids) => userNames(session.db, session.tenant.id, ids),
  historyKey: 'userId',
  noneNamed: (name) => `No user has the userName "${name}".`,
  noSuch: 'There is no such user.',
}

const GROUP: Subject = {
  byName: async ({ var: { session } }, name) => {
    const id = await findGroupIdByDisplayName(session.db, session.tenant.id, name)
    return id ? { id, name } : undefined
  },
  names: ({ var: { session } }, ids) => groupNames(session.db, session.tenant.id, ids),
  historyKey: 'groupId',
  noneNamed: (name) => `No group has the displayName "${name}".`,
  noSuch: 'There is no such group.',
}

/**
 * The user or group a filter picks: by the typed name (a string explains that none has it), or
 * by id, which may name one deleted since as long as the tenant's history names it.
 */
async function picked(
  c: ConsoleContext,
  subject: Subject,
  name: string | undefined,
  id: string | undefined
): Promise<{ id: string; name: string | null } | string | undefined> {
  if (name !== undefined) return (await subject.byName(c, name)) ?? subject.noneNamed(name)
  if (id === undefined) return undefined
  const known = (await subject.names(c, [id])).get(id)
  if (known !== undefined) return { id, name: known }
  const { db, tenant } = c.var.session
  const seen = await historyPage(db, tenant.id, { [subject.historyKey]: id, limit: 1 })
  if (seen.rows.length === 0) throw new ConsolePageError(404, subject.noSuch)
  return { id, name: null }
}

/** The admin and instance filters must name this tenant's own. */
async function checkOwnIds(c: ConsoleContext, f: HistoryFields): Promise<void> {
  const { db, tenant } = c.var.session
  if (f.actorId !== undefined && !(await listAdmins(db, tenant.id)).some((a) => a.id === f.actorId))
    throw new ConsolePageError(404, 'There is no such admin.')
  if (f.instanceId !== undefined && !(await getInstance(db, tenant.id, f.instanceId)))
    throw new ConsolePageError(404, 'There is no such integration instance.')
  if (f.from !== undefined && f.to !== undefined && f.from > f.to)
    throw new ConsolePageError(400, `"From" (${f.from}) must not be after "to" (${f.to}).`)
}

/** Resolves the form's filters within the session's tenant (see the module comment). */
export async function resolveFilter(c: ConsoleContext, f: HistoryFields): Promise<ResolvedFilter> {
  await checkOwnIds(c, f)
  const [user, group] = await Promise.all([
    picked(c, USER, f.user, f.userId),
    picked(c, GROUP, f.group, f.groupId),
  ])
  const plain = {
    ...(f.op !== undefined ? { op: f.op } : {}),
    ...(f.actor !== undefined ? { actor: f.actor } : {}),
    ...(f.actorId !== undefined ? { actorId: f.actorId } : {}),
    ...(f.instanceId !== undefined ? { instanceId: f.instanceId } : {}),
  }
  const out: ResolvedFilter = {
    filter: {
      ...plain,
      ...(typeof user === 'object' ? { userId: user.id } : {}),
      ...(typeof group === 'object' ? { groupId: group.id } : {}),
      ...(f.from !== undefined ? { from: `${f.from}T00:00:00.000Z` } : {}),
      ...(f.to !== undefined ? { to: nextDay(f.to) } : {}),
    },
    query: {
      ...plain,
      ...(typeof user === 'object' ? { userId: user.id } : {}),
      ...(typeof group === 'object' ? { groupId: group.id } : {}),
      ...(f.from !== undefined ? { from: f.from } : {}),
      ...(f.to !== undefined ? { to: f.to } : {}),
    },
  }
  if (typeof user === 'object') out.user = user
  if (typeof group === 'object') out.group = group
  const missing = [user, group].find((x) => typeof x === 'string')
  if (missing !== undefined) out.missing = missing
  return out
}
