/**
 * @module Resolution of a PATCH path against the resource type's schemas: canonical names,
 * where the attribute lives in the document, and the checks that do not depend on the data
 * (unknown attribute → invalidPath, readOnly → mutability, RFC 7644 §3.5.2).
 */
import { badRequest } from '../errors'
import type { AttrPath, Filter, PatchPath } from '../filter/ast'
import type { AttributeDef, ResolvedPath, Resolver } from '../schemas/attribute'
import { isAcceptedOnInput } from '../schemas/coerce'
import { findAttribute, sameName } from '../schemas/lookup'
import type { ResourceTypeDef } from '../schemas/resource-types'
import type { Location } from './document'

/** What applyPatch needs to know about the resource type. */
export interface PatchContext {
  resourceType: ResourceTypeDef
  /** The resource type's resolver (`resolverFor(resourceType)`). */
  resolve: Resolver
}

/** A resolved PATCH target. */
export interface Target {
  attr: AttributeDef
  /** The sub-attribute: `name.givenName`, or the one after a value filter (`].value`). */
  sub: AttributeDef | undefined
  /** The value filter, relative to the elements of `attr`. */
  filter: Filter | undefined
  loc: Location
  /** Canonical spelling of the path, for messages and coercion errors. */
  name: string
}

/** Resolves a path without throwing; undefined when an attribute is unknown. */
export function lookupTarget(
  path: AttrPath,
  ctx: PatchContext,
  filter?: Filter
): Target | undefined {
  const resolved = resolveLoosely(path, ctx)
  if (!resolved) return undefined
  const urn = sameName(resolved.schema, ctx.resourceType.schema.id) ? undefined : resolved.schema
  const base = urn === undefined ? resolved.attr.name : `${urn}:${resolved.attr.name}`
  const name = resolved.sub ? `${base}.${resolved.sub.name}` : base
  return {
    attr: resolved.attr,
    sub: resolved.sub,
    filter,
    loc: { urn, name: resolved.attr.name },
    name,
  }
}

/**
 * RFC 7644 §3.10 wants extension attributes URN-qualified, and the resolver insists. Entra ID
 * nevertheless sends `"path": "manager"` for the enterprise manager; a bare name that is not a
 * core attribute and belongs to exactly one extension cannot mean anything else, so PATCH
 * accepts it (filters stay strict).
 */
function resolveLoosely(path: AttrPath, ctx: PatchContext): ResolvedPath | undefined {
  const exact = ctx.resolve(path)
  if (exact || path.urn !== undefined) return exact
  const found = ctx.resourceType.schemaExtensions.flatMap(({ schema }) => {
    const resolved = ctx.resolve({ ...path, urn: schema.id })
    return resolved ? [resolved] : []
  })
  return found.length === 1 ? found[0] : undefined
}

/** Resolves an operation's path, throwing the RFC 7644 §3.12 error a client should see. */
export function resolveTarget(path: PatchPath, text: string, ctx: PatchContext): Target {
  if (path.filter !== undefined && path.attr.sub !== undefined) {
    throw badRequest('invalidPath', `"${text}" is not a valid path`)
  }
  const sub = path.sub ?? path.attr.sub
  const attrPath: AttrPath = sub === undefined ? { ...path.attr } : { ...path.attr, sub }
  const target = lookupTarget(attrPath, ctx, path.filter)
  if (!target) throw badRequest('invalidPath', `unknown attribute "${text}"`)
  if (isReadOnly(target)) {
    throw badRequest('mutability', `attribute "${target.name}" is read-only and cannot be modified`)
  }
  if (target.filter !== undefined && !target.attr.multiValued) {
    throw badRequest('invalidPath', `"${text}": a value filter needs a multi-valued attribute`)
  }
  if (target.filter !== undefined) checkFilter(target.filter, target.attr, text)
  return target
}

/** The target's top-level attribute, canonically spelled (`emails`, `urn:...:User:manager`). */
export const attrLabel = (t: Target): string =>
  t.loc.urn === undefined ? t.loc.name : `${t.loc.urn}:${t.loc.name}`

/** RFC 7643 §7: readOnly attributes are set by the service provider only. */
const isReadOnly = (t: Target): boolean =>
  t.attr.mutability === 'readOnly' || t.sub?.mutability === 'readOnly'

/**
 * Whether the target is stored at all. writeOnly attributes (only `password`) are accepted and
 * dropped, as on POST/PUT (see isAcceptedOnInput): Okta sends password changes by PATCH.
 */
export const isStored = (t: Target): boolean =>
  isAcceptedOnInput(t.attr) && (t.sub === undefined || isAcceptedOnInput(t.sub))

/** The sub-attribute of a complex attribute named `name` in any letter case. */
export const findSub = (attr: AttributeDef, name: string): AttributeDef | undefined =>
  findAttribute(attr.subAttributes, name)

/**
 * A value filter may only name sub-attributes of the filtered attribute (`value` for a simple
 * multi-valued one); checked here so a misspelling is an error rather than "no match".
 */
function checkFilter(filter: Filter, attr: AttributeDef, text: string): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      checkFilter(filter.left, attr, text)
      checkFilter(filter.right, attr, text)
      return
    case 'not':
      checkFilter(filter.filter, attr, text)
      return
    case 'valuePath':
      throw badRequest('invalidPath', `"${text}": value filters cannot be nested`)
    case 'compare':
    case 'present': {
      const { urn, name, sub } = filter.path
      const known =
        attr.type === 'complex' ? findSub(attr, name) !== undefined : sameName(name, 'value')
      if (urn !== undefined || sub !== undefined || !known) {
        throw badRequest('invalidPath', `"${text}": "${attr.name}" has no sub-attribute "${name}"`)
      }
    }
  }
}
