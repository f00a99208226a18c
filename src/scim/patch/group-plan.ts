/**
 * @module Splits a Group PATCH into document operations and membership changes. Members live in
 * their own table, not in the group document, so every shape IdPs use to change them is turned
 * into a {@link MemberChange}, kept in request order (Okta removes and adds in one request).
 */
import { CORE_GROUP_SCHEMA } from '../constants'
import { badRequest } from '../errors'
import type { AttrPath, Filter } from '../filter/ast'
import { coerceValue } from '../schemas/coerce'
import { isJsonObject } from '../../lib/json'
import { assertUserMembers } from '../schemas/group-members'
import { MAX_MEMBERS_PER_REQUEST, MEMBERS_ATTRIBUTE, tooManyValues } from '../schemas/limits'
import { sameName } from '../schemas/lookup'
import { withOpLabel, type PatchOperation } from './types'

/** One membership change; `removeWhere` is a filter the caller evaluates over stored members. */
export type MemberChange =
  | { kind: 'add'; ids: string[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; ids: string[] }
  | { kind: 'removeWhere'; filter: Filter }

export interface GroupPatchPlan {
  /** The operations left for the group document, unchanged but for `members` taken out. */
  attributeOps: PatchOperation[]
  /** Membership changes, in request order. */
  members: MemberChange[]
}

/**
 * Separates membership changes from the operations on the group document. The members named by
 * all operations together are bounded like those of one PUT ({@link MAX_MEMBERS_PER_REQUEST}).
 */
export function planGroupPatch(ops: readonly PatchOperation[]): GroupPatchPlan {
  const plan: GroupPatchPlan = { attributeOps: [], members: [] }
  for (const op of ops) {
    withOpLabel(op.index, () => {
      planOne(op, plan)
    })
  }
  const named = plan.members.reduce((n, c) => n + ('ids' in c ? c.ids.length : 0), 0)
  if (named > MAX_MEMBERS_PER_REQUEST && MEMBERS_ATTRIBUTE) {
    throw tooManyValues(MEMBERS_ATTRIBUTE, named, 'members')
  }
  return plan
}

function planOne(op: PatchOperation, plan: GroupPatchPlan): void {
  if (op.path === undefined) {
    planPathless(op, plan)
  } else if (isMembersAttr(op.path.attr)) {
    const change = pathChange(op)
    if (!isEmptyChange(change)) plan.members.push(change)
  } else {
    plan.attributeOps.push(op)
  }
}

const isMembersName = (name: string): boolean =>
  sameName(name, 'members') || sameName(name, `${CORE_GROUP_SCHEMA}:members`)

const isMembersAttr = (attr: AttrPath): boolean =>
  sameName(attr.name, 'members') &&
  (attr.urn === undefined || sameName(attr.urn, CORE_GROUP_SCHEMA))

const isEmptyChange = (change: MemberChange): boolean =>
  (change.kind === 'add' || change.kind === 'remove') && change.ids.length === 0

/** No-path add/replace whose value object carries `members` (RFC 7644 §3.5.2.1, §3.5.2.3). */
function planPathless(op: PatchOperation, plan: GroupPatchPlan): void {
  const value = isJsonObject(op.value) ? op.value : {}
  const keys = Object.keys(value).filter(isMembersName)
  if (keys.length === 0) {
    plan.attributeOps.push(op)
    return
  }
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !isMembersName(k)))
  if (Object.keys(rest).length > 0) plan.attributeOps.push({ ...op, value: rest })
  const ids = unique(keys.flatMap((k) => memberIds(value[k])))
  const change: MemberChange = op.op === 'replace' ? { kind: 'replace', ids } : { kind: 'add', ids }
  if (!isEmptyChange(change)) plan.members.push(change)
}

/** Operations whose path is `members`, `members[filter]` or `members[filter].value`. */
function pathChange(op: PatchOperation): MemberChange {
  const path = op.path
  const sub = path?.sub ?? path?.attr.sub
  // Removing a member's `value` removes the member (value is required); other sub-attributes of
  // a member are not stored, so changing them cannot mean anything.
  if (sub !== undefined && !(op.op === 'remove' && sameName(sub, 'value'))) {
    throw badRequest(
      'invalidPath',
      `"${op.pathText ?? ''}": members can only be added, removed or replaced whole`
    )
  }
  if (path?.filter !== undefined) {
    if (op.op !== 'remove') {
      throw badRequest(
        'invalidPath',
        `"${op.pathText ?? ''}": a members filter can only be used with remove`
      )
    }
    const ids = valueEqIds(path.filter)
    return ids ? { kind: 'remove', ids: unique(ids) } : { kind: 'removeWhere', filter: path.filter }
  }
  if (op.op === 'add') return { kind: 'add', ids: unique(memberIds(op.value)) }
  if (op.op === 'replace') return { kind: 'replace', ids: unique(memberIds(op.value)) }
  // Entra's default removal shape carries the members to remove in `value`; without one, every
  // member goes (RFC 7644 §3.5.2.2).
  if (op.value === undefined || op.value === null) return { kind: 'removeAll' }
  return { kind: 'remove', ids: unique(memberIds(op.value)) }
}

/** `value eq "id"` (or an `or` of such) names members directly: no need to load them all. */
function valueEqIds(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = valueEqIds(filter.left)
    const right = valueEqIds(filter.right)
    return left && right ? [...left, ...right] : undefined
  }
  const isValueEq =
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.urn === undefined &&
    filter.path.sub === undefined &&
    sameName(filter.path.name, 'value') &&
    typeof filter.value === 'string'
  return isValueEq ? [String(filter.value)] : undefined
}

/**
 * The user ids of a members value: an array of `{value, $ref?, display?, type?}` (a single
 * object is tolerated), coerced and checked like the members of a POST body: nested groups are
 * refused with a message saying so.
 */
function memberIds(value: unknown): string[] {
  const members = MEMBERS_ATTRIBUTE ? coerceValue(MEMBERS_ATTRIBUTE, value, 'members') : undefined
  assertUserMembers(members)
  return Array.isArray(members)
    ? members.map((m: unknown) => (isJsonObject(m) ? String(m.value) : ''))
    : []
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)]
