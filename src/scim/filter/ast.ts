/**
 * @module The filter AST of RFC 7644 §3.4.2.2, produced by the parser and consumed by the
 * validator, the SQL compiler and the in-memory matcher used by PATCH value filters.
 */

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'

/** A JSON literal from a filter: string, number, boolean or null. */
export type FilterValue = string | number | boolean | null

/**
 * An attribute path as written in a filter: optional schema URN, attribute name and optional
 * sub-attribute, e.g. `urn:...:enterprise:2.0:User:manager.value` →
 * `{ urn: 'urn:...:enterprise:2.0:User', name: 'manager', sub: 'value' }`.
 * Names keep the client's spelling; the validator resolves them case-insensitively.
 */
export interface AttrPath {
  urn?: string
  name: string
  sub?: string
}

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `emails[type eq "work" and value co "@x"]`: `filter` applies to each element of `path`. */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter }

/**
 * A PATCH `path` (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`, e.g.
 * `name.givenName` → `{ attr: { name: 'name', sub: 'givenName' } }`,
 * `emails[type eq "work"].value` → `{ attr: { name: 'emails' }, filter, sub: 'value' }`,
 * `members[value eq "id"]` → `{ attr: { name: 'members' }, filter }`.
 */
export interface PatchPath {
  attr: AttrPath
  /** The value filter between brackets, relative to the elements of `attr`. */
  filter?: Filter
  /** The sub-attribute after a value filter (`].value`). */
  sub?: string
}
