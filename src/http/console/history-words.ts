/**
 * @module Provisioning history in words, for the console: each entry's operation as an IT admin
 * would say it ("Suspended", "Added to group Sales", "Linked agent CONTOSO\ada by UPN"), what
 * changed (attribute: before → after; counts for multi-valued attributes), and who did it (the
 * SCIM key and its integration instance, the directory sync, an admin's email, the system).
 * Pure: the names behind the ids are read beforehand (storage's historyNames) and passed in.
 */
import { z } from 'zod'
import type { AttributeChange } from '../../directory/changes'
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../scim/constants'
import type { HistoryActor } from '../../storage/repos/history-query'
import type { HistoryNameKind, HistoryNames, HistoryRefs } from '../../storage/repos/history-names'
import { DNT_SOURCES, LINK_RULES } from './labels'

/** The fields of a history entry these words are made of. */
export interface HistoryFacts {
  op: string
  actor: HistoryActor
  actorName: string | null
  instanceId: string | null
  keyId: string | null
  resourceId: string
  changes: AttributeChange[]
}

// Widened for lookups by the text a history entry holds.
const dntSources: Record<string, string> = DNT_SOURCES
const linkRules: Record<string, string> = LINK_RULES

const UNMERGE_REASONS: Record<string, string> = {
  undo: 'an admin undid the merge',
  relinked: 'the agent it was merged into was linked elsewhere',
  'user-deleted': 'the user was deleted',
}

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
const Change = z.object({
  attr: z.string(),
  before: Scalar.optional(),
  after: Scalar.optional(),
  countBefore: z.number().optional(),
  countAfter: z.number().optional(),
})
const Changes = z.array(Change)

/** Copies only the fields present (optional fields are absent, never undefined). */
function toChange(c: z.infer<typeof Change>): AttributeChange {
  const out: AttributeChange = { attr: c.attr }
  if (c.before !== undefined) out.before = c.before
  if (c.after !== undefined) out.after = c.after
  if (c.countBefore !== undefined) out.countBefore = c.countBefore
  if (c.countAfter !== undefined) out.countAfter = c.countAfter
  return out
}

/** The changes column of a history row; anything unreadable reads as no change listed. */
export function parseChanges(json: string): AttributeChange[] {
  try {
    const parsed = Changes.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data.map(toChange) : []
  } catch {
    return []
  }
}

const changeOf = (e: HistoryFacts, attr: string): AttributeChange | undefined =>
  e.changes.find((c) => c.attr === attr)

const text = (v: AttributeChange['before']): string | undefined =>
  v === undefined || v === null ? undefined : String(v)

const named = (map: ReadonlyMap<string, string>, id: string | undefined, gone: string): string =>
  (id !== undefined && map.get(id)) || gone

/** A role as `role.change` records it: a role id, `group:<id>` (groups-as-roles), or none. */
function roleName(names: HistoryNames, value: AttributeChange['before']): string {
  const id = text(value)
  if (id === undefined) return 'no role'
  if (id.startsWith('group:')) return named(names.group, id.slice(6), 'a deleted group')
  return named(names.role, id, 'a deleted role')
}

type Words = (e: HistoryFacts, names: HistoryNames) => string

const agentOf = (e: HistoryFacts, names: HistoryNames) =>
  named(names.agent, e.resourceId, 'a removed agent')
const groupOf = (e: HistoryFacts, names: HistoryNames) =>
  named(names.group, e.resourceId, 'a deleted group')
const fixed =
  (words: string): Words =>
  () =>
    words

const WORDS: Record<string, Words> = {
  'user.create': fixed('Created'),
  'user.update': fixed('Updated'),
  'user.suspend': fixed('Suspended'),
  'user.restore': fixed('Restored'),
  'user.delete': fixed('Deleted'),
  'membership.add': (e, n) => `Added to group ${groupOf(e, n)}`,
  'membership.remove': (e, n) => `Removed from group ${groupOf(e, n)}`,
  'agent.link': (e, n) => {
    const rule = linkRules[text(changeOf(e, 'linkRule')?.after) ?? '']
    return `Linked agent ${agentOf(e, n)}${rule ? ` by ${rule}` : ''}`
  },
  'agent.unlink': (e, n) => `Unlinked agent ${agentOf(e, n)}`,
  'agent.remove': (e, n) => `Removed agent ${agentOf(e, n)}; its license is freed`,
  'agent.restore': (e, n) => `Agent ${agentOf(e, n)} is back on the user-agent list`,
  'agent.merge': (e, n) =>
    `Merged agent ${agentOf(e, n)} into ${named(n.agent, text(changeOf(e, 'mergedInto')?.after), 'another agent')}`,
  'agent.unmerge': (e, n) => {
    const reason = UNMERGE_REASONS[text(changeOf(e, 'reason')?.after) ?? '']
    return `Agent ${agentOf(e, n)} is separate again${reason ? `: ${reason}` : ''}`
  },
  'dnt.add': (e) => {
    const source = dntSources[text(changeOf(e, 'source')?.after) ?? '']
    return `Added to Do Not Track${source ? ` (${source.toLowerCase()})` : ''}`
  },
  'dnt.remove': fixed('Removed from Do Not Track'),
  'role.change': (e, n) => {
    const c = changeOf(e, 'role')
    return `Role changed from ${roleName(n, c?.before)} to ${roleName(n, c?.after)}`
  },
  'deletion.request': fixed('Deletion requested'),
  'deletion.verified': fixed('Deletion verified: nothing is left'),
  'deletion.failed': (e) => `Deletion failed: ${text(changeOf(e, 'reason')?.after) ?? 'unknown'}`,
  'deletion.retry': (e) =>
    `Deletion checked, to be purged again: ${text(changeOf(e, 'reason')?.after) ?? 'unknown'}`,
  'group.create': fixed('Group created'),
  'group.update': fixed('Group updated'),
  'group.delete': fixed('Group deleted'),
  'group.role': (e, n) => {
    const c = changeOf(e, 'role')
    return `Group role changed from ${roleName(n, c?.before)} to ${roleName(n, c?.after)}`
  },
}

/** The operation in words; an op this console does not know yet reads as itself. */
export function operationWords(e: HistoryFacts, names: HistoryNames): string {
  const words = WORDS[e.op]
  return words ? words(e, names) : e.op
}

/** Ops whose words already say everything their changes hold. */
const SAID_IN_WORDS = /^(membership|agent|dnt|role|deletion)\.|^group\.role$/

const shown = (v: AttributeChange['before']): string =>
  v === undefined || v === null ? '—' : String(v)

/** Extension attributes read by their name: admins know `employeeNumber`, not its URN. */
const EXTENSIONS = [ENTERPRISE_USER_SCHEMA, ACTIVTRAK_USER_SCHEMA].map((urn) => `${urn}:`)

function attrName(attr: string): string {
  const urn = EXTENSIONS.find((prefix) => attr.startsWith(prefix))
  return urn === undefined ? attr : attr.slice(urn.length)
}

/** One line per changed attribute: `attr: before → after`, or counts for multi-valued ones. */
export function changeLines(e: HistoryFacts): string[] {
  if (SAID_IN_WORDS.test(e.op)) return []
  return e.changes.map((c) =>
    c.countBefore !== undefined || c.countAfter !== undefined
      ? `${attrName(c.attr)}: ${String(c.countBefore ?? 0)} → ${String(c.countAfter ?? 0)} values`
      : `${attrName(c.attr)}: ${shown(c.before)} → ${shown(c.after)}`
  )
}

/** Who made the change, by the names an admin knows them by. */
export function actorWords(e: HistoryFacts, names: HistoryNames): string {
  const instance = e.instanceId === null ? undefined : names.instance.get(e.instanceId)
  const key = e.keyId === null ? undefined : names.key.get(e.keyId)
  switch (e.actor) {
    case 'scim':
      return `SCIM${instance ? ` · ${instance}` : ''}${key ? ` · key ${key}` : ''}`
    case 'sync':
      return `Directory sync${instance ? ` · ${instance}` : ''}`
    case 'admin':
      return e.actorName ?? 'A console admin'
    case 'operator':
      return 'Operator (admin API)'
    case 'agent':
      return `User agent report${key ? ` · key ${key}` : ''}`
    case 'system':
      return 'The system'
  }
}

/** The ids the entries refer to, for storage's historyNames. */
export function referencesOf(entries: readonly HistoryFacts[]): HistoryRefs {
  const refs: Record<HistoryNameKind, string[]> = {
    group: [],
    agent: [],
    role: [],
    instance: [],
    key: [],
  }
  for (const e of entries) {
    if (e.instanceId !== null) refs.instance.push(e.instanceId)
    if (e.keyId !== null) refs.key.push(e.keyId)
    if (e.op.startsWith('membership.') || e.op.startsWith('group.')) refs.group.push(e.resourceId)
    if (e.op.startsWith('agent.')) refs.agent.push(e.resourceId)
    const into = text(changeOf(e, 'mergedInto')?.after)
    if (into !== undefined) refs.agent.push(into)
    for (const v of e.op === 'role.change' || e.op === 'group.role' ? roleValues(e) : []) {
      if (v.startsWith('group:')) refs.group.push(v.slice(6))
      else refs.role.push(v)
    }
  }
  return refs
}

const roleValues = (e: HistoryFacts): string[] => {
  const c = changeOf(e, 'role')
  return [text(c?.before), text(c?.after)].filter((v) => v !== undefined)
}
