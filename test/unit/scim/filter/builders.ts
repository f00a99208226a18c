/**
 * @module Test helper: short constructors for filter ASTs (./ast), so parser expectations read
 * like the filters they stand for.
 */
import type { AttrPath, CompareOp, Filter, FilterValue } from '../../../../src/scim/filter/ast'

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'

/** `name` or `name.sub`. */
export const at = (name: string, sub?: string): AttrPath =>
  sub === undefined ? { name } : { name, sub }

/** `urn:name` or `urn:name.sub`. */
export const urnAt = (urn: string, name: string, sub?: string): AttrPath => ({
  urn,
  ...at(name, sub),
})

const toPath = (path: AttrPath | string): AttrPath => (typeof path === 'string' ? at(path) : path)

export const cmp = (path: AttrPath | string, op: CompareOp, value: FilterValue): Filter => ({
  kind: 'compare',
  path: toPath(path),
  op,
  value,
})
export const pr = (path: AttrPath | string): Filter => ({ kind: 'present', path: toPath(path) })
export const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right })
export const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right })
export const not = (filter: Filter): Filter => ({ kind: 'not', filter })
export const vp = (path: AttrPath | string, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: toPath(path),
  filter,
})
