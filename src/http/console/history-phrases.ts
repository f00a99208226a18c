/**
 * @module A user's history as their page tells it (TrackTik's per-employee History tab): each
 * entry's operation as a phrase naming what it involved ("Added to group Sales", "Linked agent
 * CONTOSO\ada by UPN", "Role changed from Viewer to Admin"), what changed, and who did it (the
 * SCIM key and its integration instance, the directory sync, an admin's email, the system).
 * Built on the console's history words (history-words.ts), so the History page and the user
 * page say an op alike. Pure: the names behind the ids are read beforehand (storage's
 * historyNames) and passed in.
 */
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../scim/constants'
import type { HistoryActor } from '../../storage/repos/history-query'
import type { HistoryNameKind, HistoryNames, HistoryRefs } from '../../storage/repos/history-names'
import { ACTOR_WORDS, changeText, opWords, type Change } from './history-words'
import { DNT_SOURCES, LINK_RULES } from './labels'

/** The fields of a history entry these phrases are made of. */
export interface HistoryFacts {
  op: string
  actor: HistoryActor
  actorName: string | null
  instanceId: string | null
  keyId: string | null
  resourceId: string
  changes: Change[]
}

// Widened for lookups by the text a history entry holds.
const dntSources: Record<string, string> = DNT_SOURCES
const linkRules: Record<string, string> = LINK_RULES

const UNMERGE_REASONS: Record<string, string> = {
  undo: 'an admin undid the merge',
  relinked: 'the agent it was merged into was linked elsewhere',
  'user-deleted': 'the user was deleted',
}

const changeOf = (e: HistoryFacts, attr: string): Change | undefined =>
  e.changes.find((c) => c.attr === attr)

const text = (v: Change['before']): string | undefined =>
  v === undefined || v === null ? undefined : String(v)

const named = (map: ReadonlyMap<string, string>, id: string | undefined, gone: string): string =>
  (id !== undefined && map.get(id)) || gone

/** A role as `role.change` records it: a role id, `group:<id>` (groups-as-roles), or none. */
function roleName(names: HistoryNames, value: Change['before']): string {
  const id = text(value)
  if (id === undefined) return 'no role'
  if (id.startsWith('group:')) return named(names.group, id.slice(6), 'a deleted group')
  return named(names.role, id, 'a deleted role')
}

type Phrase = (e: HistoryFacts, names: HistoryNames) => string

const agentOf = (e: HistoryFacts, names: HistoryNames) =>
  named(names.agent, e.resourceId, 'a removed agent')
const groupOf = (e: HistoryFacts, names: HistoryNames) =>
  named(names.group, e.resourceId, 'a deleted group')
const after = (e: HistoryFacts, attr: string) => text(changeOf(e, attr)?.after)

/** Ops that name what they involved; every other op reads as the History page says it. */
const PHRASES: Record<string, Phrase> = {
  'membership.add': (e, n) => `Added to group ${groupOf(e, n)}`,
  'membership.remove': (e, n) => `Removed from group ${groupOf(e, n)}`,
  'agent.link': (e, n) => {
    const rule = linkRules[after(e, 'linkRule') ?? '']
    return `Linked agent ${agentOf(e, n)}${rule ? ` by ${rule}` : ''}`
  },
  'agent.unlink': (e, n) => `Unlinked agent ${agentOf(e, n)}`,
  'agent.remove': (e, n) => `Removed agent ${agentOf(e, n)}; its license is freed`,
  'agent.merge': (e, n) =>
    `Merged agent ${agentOf(e, n)} into ${named(n.agent, after(e, 'mergedInto'), 'another agent')}`,
  'agent.unmerge': (e, n) => {
    const reason = UNMERGE_REASONS[after(e, 'reason') ?? '']
    return `Agent ${agentOf(e, n)} is separate again${reason ? `: ${reason}` : ''}`
  },
  'dnt.add': (e) => {
    const source = dntSources[after(e, 'source') ?? '']
    return `Added to Do Not Track${source ? ` (${source.toLowerCase()})` : ''}`
  },
  'role.change': (e, n) => {
    const c = changeOf(e, 'role')
    return `Role changed from ${roleName(n, c?.before)} to ${roleName(n, c?.after)}`
  },
  'deletion.failed': (e) => `Deletion failed: ${after(e, 'reason') ?? 'unknown'}`,
  'deletion.retry': (e) =>
    `Deletion checked, to be purged again: ${after(e, 'reason') ?? 'unknown'}`,
}

/** The operation as a phrase naming what it involved. */
export function operationWords(e: HistoryFacts, names: HistoryNames): string {
  const phrase = PHRASES[e.op]
  return phrase ? phrase(e, names) : opWords(e.op)
}

/** Extension attributes read by their name: admins know `employeeNumber`, not its URN. */
const EXTENSIONS = [ENTERPRISE_USER_SCHEMA, ACTIVTRAK_USER_SCHEMA].map((urn) => `${urn}:`)

function attrName(attr: string): string {
  const urn = EXTENSIONS.find((prefix) => attr.startsWith(prefix))
  return urn === undefined ? attr : attr.slice(urn.length)
}

/** One line per changed attribute (`attr: before → after`, counts for multi-valued ones). */
export function changeLines(e: HistoryFacts): string[] {
  // A phrase already says everything its changes hold.
  if (PHRASES[e.op] !== undefined) return []
  return e.changes.map((c) => changeText({ ...c, attr: attrName(c.attr) }, () => undefined))
}

/** Who made the change: the kind of actor, and which key, instance or admin. */
export function actorWords(e: HistoryFacts, names: HistoryNames): string {
  const instance = e.instanceId === null ? undefined : names.instance.get(e.instanceId)
  const key = e.keyId === null ? undefined : names.key.get(e.keyId)
  const detail =
    e.actor === 'admin'
      ? [e.actorName ?? undefined]
      : [key === undefined ? undefined : `key "${key}"`, instance]
  return [ACTOR_WORDS[e.actor], ...detail].filter((p) => p !== undefined).join(' · ')
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
    const into = after(e, 'mergedInto')
    if (into !== undefined) refs.agent.push(into)
    for (const v of e.op === 'role.change' ? roleValues(e) : []) {
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
