/**
 * @module In-memory evaluation of SCIM filters (RFC 7644 §3.4.2.2) over canonical documents:
 * the reference semantics the SQL compiler is tested against, and the matcher of PATCH value
 * filters (`members[value eq "id"]`). A filter is compiled once, which checks every attribute
 * and operator before any data is read, so errors never depend on what a document holds.
 */
import { fold } from '../../lib/text'
import { badRequest } from '../errors'
import type { AttributeDef, ResolvedPath, Resolver } from '../schemas/attribute'
import { isJsonObject } from '../../lib/json'
import { readAttribute } from '../schemas/document'
import { findAttribute } from '../schemas/lookup'
import type { AttrPath, Filter } from './ast'
import { compileComparison, isPresent } from './matcher-compare'

type Test = (input: unknown) => boolean

/**
 * Whether `doc` (a canonical ScimDocument) satisfies `filter`. An attribute of a multi-valued
 * attribute matches when any element does; a value path (`emails[type eq "work" and value co
 * "@x"]`) needs one element to satisfy the whole bracket filter.
 * @throws ScimError invalidFilter for an unknown attribute or an operator its type forbids.
 */
export function matchesFilter(
  filter: Filter,
  doc: Record<string, unknown>,
  resolve: Resolver
): boolean {
  return compileDocument(filter, resolve)(doc)
}

/**
 * Whether one element of the multi-valued attribute `parent` satisfies a bracket filter whose
 * paths are relative to the element (`type eq "work"`); for a multi-valued attribute without
 * sub-attributes the element itself is `value`.
 */
export function matchesElement(filter: Filter, element: unknown, parent: AttributeDef): boolean {
  return compileElement(filter, parent)(element)
}

function compileDocument(filter: Filter, resolve: Resolver): Test {
  switch (filter.kind) {
    case 'and':
    case 'or':
    case 'not':
      return combine(filter, (f) => compileDocument(f, resolve))
    case 'valuePath': {
      const resolved = resolveOrThrow(filter.path, resolve)
      if (!resolved.attr.multiValued) {
        throw badRequest(
          'invalidFilter',
          `"${resolved.attr.name}" is not multi-valued; brackets need a multi-valued attribute`
        )
      }
      return anyElement(resolved, compileElement(filter.filter, resolved.attr))
    }
    case 'present':
    case 'compare':
      return compileAttribute(filter, resolveOrThrow(filter.path, resolve))
  }
}

function compileElement(filter: Filter, parent: AttributeDef): Test {
  switch (filter.kind) {
    case 'and':
    case 'or':
    case 'not':
      return combine(filter, (f) => compileElement(f, parent))
    case 'valuePath':
      throw badRequest('invalidFilter', 'A value filter cannot contain another value filter')
    case 'present':
    case 'compare': {
      const sub = elementAttribute(parent, filter.path)
      const test = compileLeaf(filter, sub, `${parent.name}.${sub.name}`)
      if (!parent.subAttributes) return test
      return (el) => test(isJsonObject(el) ? el[sub.name] : undefined)
    }
  }
}

type Logical = Extract<Filter, { kind: 'and' | 'or' | 'not' }>

/** and/or/not over compiled operands; both operands are compiled, so both are validated. */
function combine(filter: Logical, compile: (f: Filter) => Test): Test {
  if (filter.kind === 'not') {
    const inner = compile(filter.filter)
    return (x) => !inner(x)
  }
  const left = compile(filter.left)
  const right = compile(filter.right)
  return filter.kind === 'and' ? (x) => left(x) && right(x) : (x) => left(x) || right(x)
}

type Leaf = Extract<Filter, { kind: 'present' | 'compare' }>

function compileLeaf(filter: Leaf, def: AttributeDef, label: string): Test {
  return filter.kind === 'present'
    ? isPresent
    : compileComparison(def, label, filter.op, filter.value)
}

function compileAttribute(filter: Leaf, resolved: ResolvedPath): Test {
  const { attr, sub } = resolved
  if (attr.multiValued) {
    // `emails pr`: some element; `emails co "x"` compares each element's value (RFC 7644 §3.4.2.2).
    if (filter.kind === 'present' && !sub) return anyElement(resolved, isPresent)
    const element = { ...filter, path: { name: sub?.name ?? 'value' } }
    return anyElement(resolved, compileElement(element, attr))
  }
  if (!sub) {
    const test = compileLeaf(filter, attr, attr.name)
    return (doc) => test(readAttribute(asDocument(doc), resolved))
  }
  const test = compileLeaf(filter, sub, `${attr.name}.${sub.name}`)
  return (doc) => {
    const parent = readAttribute(asDocument(doc), resolved)
    return test(isJsonObject(parent) ? parent[sub.name] : undefined)
  }
}

/** True when some element of the multi-valued attribute passes `test`; none when absent. */
function anyElement(resolved: ResolvedPath, test: Test): Test {
  return (doc) => {
    const value = readAttribute(asDocument(doc), resolved)
    const elements = Array.isArray(value)
      ? value
      : value === undefined || value === null
        ? []
        : [value]
    return elements.some(test)
  }
}

const asDocument = (input: unknown): Record<string, unknown> => (isJsonObject(input) ? input : {})

/** A bracket filter's attribute among the element's sub-attributes (`value` for simple ones). */
function elementAttribute(parent: AttributeDef, path: AttrPath): AttributeDef {
  const found = parent.subAttributes
    ? findAttribute(parent.subAttributes, path.name)
    : fold(path.name) === 'value'
      ? { ...parent, name: 'value', multiValued: false }
      : undefined
  if (!found || path.sub !== undefined || path.urn !== undefined) {
    throw badRequest(
      'invalidFilter',
      `Unknown attribute "${parent.name}.${formatPath(path)}" in filter`
    )
  }
  return found
}

function resolveOrThrow(path: AttrPath, resolve: Resolver): ResolvedPath {
  const resolved = resolve(path)
  if (!resolved)
    throw badRequest('invalidFilter', `Unknown attribute "${formatPath(path)}" in filter`)
  return resolved
}

const formatPath = (p: AttrPath): string =>
  `${p.urn === undefined ? '' : `${p.urn}:`}${p.name}${p.sub === undefined ? '' : `.${p.sub}`}`
