/**
 * @module No-path add/replace (RFC 7644 §3.5.2.1, §3.5.2.3): the value is a set of attributes.
 * Keys may be plain (`displayName`), dotted (`name.givenName`), URN-qualified
 * (`urn:...:enterprise:2.0:User:employeeNumber`, Entra aadOptscim062020) or an extension object
 * under its schema URN. Like POST, unknown keys are ignored, and so are read-only ones: Okta's
 * group rename sends `{"id": "<gid>", "displayName": "New"}`.
 */
import { fold } from '../../lib/text'
import type { AttrPath, PatchPath } from '../filter/ast'
import { parsePatchPath } from '../filter/parser'
import { isJsonObject } from '../../lib/json'
import { isStored, lookupTarget, type PatchContext, type Target } from './target'

/** One attribute of a no-path value, resolved. */
export interface KeyedValue {
  target: Target
  value: unknown
}

/** The writable, known attributes of a no-path value, in the order given. */
export function pathlessTargets(value: Record<string, unknown>, ctx: PatchContext): KeyedValue[] {
  return Object.entries(value).flatMap(([key, v]) => keyTargets(key, v, ctx))
}

function keyTargets(key: string, value: unknown, ctx: PatchContext): KeyedValue[] {
  const target = lookupKey(key, undefined, ctx)
  if (target) return writable(target, value)
  if (!isJsonObject(value) || !fold(key).startsWith('urn:')) return []
  // `{"urn:...:enterprise:2.0:User": {"employeeNumber": "1"}}`: the key is an extension schema.
  return Object.entries(value).flatMap(([sub, v]) => {
    const nested = lookupKey(sub, key, ctx)
    return nested ? writable(nested, v) : []
  })
}

const writable = (target: Target, value: unknown): KeyedValue[] =>
  isStored(target) ? [{ target, value }] : []

function lookupKey(key: string, urn: string | undefined, ctx: PatchContext): Target | undefined {
  const path = tryParse(key)
  if (!path || path.filter !== undefined || path.sub !== undefined) return undefined
  const attr: AttrPath =
    urn !== undefined && path.attr.urn === undefined ? { ...path.attr, urn } : path.attr
  return lookupTarget(attr, ctx)
}

/** A key that is not even a path (`$ref`, `"a b"`) is simply unknown. */
function tryParse(key: string): PatchPath | undefined {
  try {
    return parsePatchPath(key)
  } catch {
    return undefined
  }
}
