/**
 * @module The `attributes` / `excludedAttributes` projection of RFC 7644 §3.9 combined with
 * each attribute's `returned` characteristic (RFC 7643 §2.2): which top-level attributes and
 * which sub-attributes a response carries.
 */
import type { AttrPath } from '../filter/ast'
import { splitSchemaPrefix } from '../filter/attr-path'
import type { AttributeDef, Resolver } from './attribute'
import { isJsonObject } from '../../lib/json'
import { findExtension, type ResourceTypeDef } from './resource-types'

/** The attribute paths one list names, resolved to canonical keys `${schema}:${name}`. */
interface Selection {
  /** Top-level attributes named whole; a whole extension is keyed by its bare URN. */
  whole: Set<string>
  /** Named sub-attributes (canonical names) per top-level attribute key. */
  subs: Map<string, Set<string>>
}

/** What a request asks for, ready to answer per attribute. */
export interface ProjectionPlan {
  /** True when `attributes` was given: only what it names (and `always`) is returned. */
  restricted: boolean
  attributes: Selection
  excluded: Selection
}

/** Parses both lists; names that do not resolve are ignored (RFC 7644 §3.9 has no error). */
export function planProjection(
  rt: ResourceTypeDef,
  resolve: Resolver,
  attributes: readonly string[],
  excludedAttributes: readonly string[]
): ProjectionPlan {
  return {
    restricted: attributes.length > 0,
    attributes: select(rt, resolve, attributes),
    excluded: select(rt, resolve, excludedAttributes),
  }
}

function select(rt: ResourceTypeDef, resolve: Resolver, list: readonly string[]): Selection {
  const selection: Selection = { whole: new Set(), subs: new Map() }
  for (const text of list) {
    const ext = findExtension(rt, text)
    if (ext) {
      selection.whole.add(ext.id)
      continue
    }
    const resolved = resolve(toAttrPath(text))
    if (!resolved) continue
    const key = `${resolved.schema}:${resolved.attr.name}`
    if (!resolved.sub) selection.whole.add(key)
    else selection.subs.set(key, (selection.subs.get(key) ?? new Set()).add(resolved.sub.name))
  }
  return selection
}

/**
 * `urn:...:User:manager.value` (or `urn:...:User.manager.value`) → `{urn, name: 'manager', sub:
 * 'value'}`; never throws: a name that is no path simply resolves to nothing.
 */
function toAttrPath(text: string): AttrPath {
  const { urn, rest } = splitSchemaPrefix(text) ?? { rest: text }
  const dot = rest.indexOf('.')
  const name = dot < 0 ? rest : rest.slice(0, dot)
  const path: AttrPath = urn === undefined ? { name } : { urn, name }
  if (dot >= 0) path.sub = rest.slice(dot + 1)
  return path
}

const isNamedWhole = (s: Selection, schema: string, name: string): boolean =>
  s.whole.has(`${schema}:${name}`) || s.whole.has(schema)

/**
 * The projected value of a top-level attribute of `schema`, or undefined when the response
 * leaves it out. `never` is never returned, `always` always (RFC 7643 §2.2); otherwise
 * `attributes`, when given, lists what is returned and `excludedAttributes` what is not.
 */
export function projectAttribute(
  plan: ProjectionPlan,
  schema: string,
  def: AttributeDef,
  value: unknown
): unknown {
  if (value === undefined || def.returned === 'never') return undefined
  const key = `${schema}:${def.name}`
  const namedSubs = plan.attributes.subs.get(key)
  if (def.returned !== 'always') {
    if (isNamedWhole(plan.excluded, schema, def.name)) return undefined
    const named = isNamedWhole(plan.attributes, schema, def.name)
    if (plan.restricted ? !named && !namedSubs : def.returned === 'request') return undefined
  }
  if (def.type !== 'complex') return value
  // Naming only some sub-attributes (`name.givenName`) returns only those.
  const only = plan.restricted && !isNamedWhole(plan.attributes, schema, def.name) && !!namedSubs
  const excludedSubs = plan.excluded.subs.get(key)
  const subs = (def.subAttributes ?? []).filter((sub) =>
    keepSub(sub, namedSubs, only, excludedSubs)
  )
  return Array.isArray(value) ? nonEmpty(value.map((el) => pick(el, subs))) : pick(value, subs)
}

function keepSub(
  sub: AttributeDef,
  named: ReadonlySet<string> | undefined,
  only: boolean,
  excluded: ReadonlySet<string> | undefined
): boolean {
  if (sub.returned === 'never') return false
  if (sub.returned === 'always') return true
  if (excluded?.has(sub.name)) return false
  if (named?.has(sub.name)) return true
  return !only && sub.returned !== 'request'
}

/** The listed sub-attributes of one complex value; undefined when none is left. */
function pick(value: unknown, subs: readonly AttributeDef[]): unknown {
  if (!isJsonObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const sub of subs) if (value[sub.name] !== undefined) out[sub.name] = value[sub.name]
  return Object.keys(out).length === 0 ? undefined : out
}

const nonEmpty = (list: readonly unknown[]): unknown[] | undefined => {
  const kept = list.filter((el) => el !== undefined)
  return kept.length === 0 ? undefined : kept
}
