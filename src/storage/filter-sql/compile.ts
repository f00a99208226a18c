/**
 * @module Compiles a parsed SCIM filter to a parametrised SQL condition over one resource table,
 * so that a filter is always answered by SQLite (through indexes where the attribute has one)
 * and never by loading a tenant's resources into memory.
 */
import type { AttrPath, Filter } from '../../scim/filter/ast'
import { badRequest } from '../../scim/errors'
import type { AttributeDef, ResolvedPath, Resolver } from '../../scim/schemas/attribute'
import { compareSql, presentSql, type Operand, type SqlFragment } from './compare'
import { foldable, jsonPath, scalarOperand } from './operands'
import { orBranches, scopeBranches } from './scoped-or'
import type { TenantScope } from '../read-batch'
import type { ResourceTable, Target } from './targets'

/** More bound parameters than this would approach D1's limit of 100 per statement. */
const MAX_PARAMS = 90

export interface CompileContext {
  /** The tenant every subquery is scoped to (the outer query scopes its own table). */
  tenant: TenantScope
  resolve: Resolver
  table: ResourceTable
}

/** A compiled filter; `tenantScoped` when every top-level OR branch carries the tenant scope. */
export interface CompiledFilter extends SqlFragment {
  tenantScoped?: true
}

/**
 * Compiles a SCIM filter. A top-level OR gets the tenant scope inside each branch, so that each
 * branch is an index lookup (see scoped-or.ts), unless the extra parameter per branch would not
 * fit; such a long OR is compiled as is (one walk of the tenant), as any other filter.
 */
export function compileFilter(filter: Filter, ctx: CompileContext): CompiledFilter {
  if (filter.kind === 'or') {
    const scoped = scopedBranches(filter, ctx)
    if (scoped.params.length <= MAX_PARAMS) return { ...scoped, tenantScoped: true }
  }
  return withinLimit(compileNode(filter, ctx))
}

/** The filter as tenant-scoped OR branches (one for a filter without OR), whatever its size. */
export function compileScopedOr(filter: Filter, ctx: CompileContext): SqlFragment {
  return withinLimit(scopedBranches(filter, ctx))
}

const scopedBranches = (filter: Filter, ctx: CompileContext): SqlFragment =>
  scopeBranches(
    orBranches(filter).map((branch) => compileNode(branch, ctx)),
    ctx
  )

function withinLimit(out: SqlFragment): SqlFragment {
  if (out.params.length > MAX_PARAMS) {
    throw badRequest(
      'invalidFilter',
      `Filter is too complex: it needs more than ${MAX_PARAMS} values`
    )
  }
  return out
}

function compileNode(filter: Filter, ctx: CompileContext): SqlFragment {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return join(
        filter.kind.toUpperCase(),
        compileNode(filter.left, ctx),
        compileNode(filter.right, ctx)
      )
    case 'not': {
      const inner = compileNode(filter.filter, ctx)
      return { sql: `NOT coalesce(${inner.sql}, 0)`, params: inner.params }
    }
    case 'valuePath':
      return compileValuePath(resolveOrThrow(filter.path, ctx), filter.filter, ctx)
    case 'present':
    case 'compare':
      return compileAttribute(filter, ctx)
  }
}

const join = (op: string, a: SqlFragment, b: SqlFragment): SqlFragment => ({
  sql: `(${a.sql} ${op} ${b.sql})`,
  params: [...a.params, ...b.params],
})

function resolveOrThrow(path: AttrPath, ctx: CompileContext): ResolvedPath {
  const resolved = ctx.resolve(path)
  if (!resolved)
    throw badRequest('invalidFilter', `Unknown attribute "${formatPath(path)}" in filter`)
  return resolved
}

const formatPath = (p: AttrPath): string =>
  `${p.urn ? `${p.urn}:` : ''}${p.name}${p.sub ? `.${p.sub}` : ''}`

type AttributeFilter = Extract<Filter, { kind: 'present' | 'compare' }>

function compileAttribute(filter: AttributeFilter, ctx: CompileContext): SqlFragment {
  const resolved = resolveOrThrow(filter.path, ctx)
  if (resolved.attr.multiValued) {
    // `emails.value eq "x"` and `emails eq "x"` both mean: some element's value matches.
    const sub = resolved.sub?.name ?? 'value'
    if (filter.kind === 'present' && !resolved.sub) return anyElement(resolved, ctx)
    return compileValuePath(
      { schema: resolved.schema, attr: resolved.attr },
      { ...filter, path: { name: sub } },
      ctx
    )
  }
  const operand = scalarOperand(resolved, ctx)
  return filter.kind === 'present'
    ? presentSql(operand)
    : compareSql(operand, filter.op, filter.value)
}

/** `attr[filter]`: some element of a multi-valued attribute satisfies the filter. */
function compileValuePath(resolved: ResolvedPath, inner: Filter, ctx: CompileContext): SqlFragment {
  if (!resolved.attr.multiValued) {
    throw badRequest(
      'invalidFilter',
      `"${resolved.attr.name}" is not multi-valued; brackets need a multi-valued attribute`
    )
  }
  const scope = elementScope(resolved, inner, ctx)
  return scope.wrap(compileElement(inner, resolved.attr, scope))
}

function anyElement(resolved: ResolvedPath, ctx: CompileContext): SqlFragment {
  return elementScope(resolved, undefined, ctx).wrap({ sql: '1', params: [] })
}

/** How the sub-attributes of one element are reached, and how the element test is wrapped. */
interface ElementScope {
  operand(sub: AttributeDef): Operand
  wrap(cond: SqlFragment): SqlFragment
}

/** Sub-attributes that `user_values` copies; any other one needs the JSON document. */
const VALUE_COLUMNS: Readonly<
  Record<string, { column: string; type: AttributeDef['type']; folded: boolean }>
> = {
  value: { column: 'v.value_ci', type: 'string', folded: true },
  type: { column: 'v.type_ci', type: 'string', folded: true },
  primary: { column: 'v.is_primary', type: 'boolean', folded: false },
}

function elementScope(
  resolved: ResolvedPath,
  inner: Filter | undefined,
  ctx: CompileContext
): ElementScope {
  const { attr } = resolved
  const alias = ctx.table.alias
  const target = ctx.table.target({ schema: resolved.schema, attr })
  if (target?.kind === 'values' && (!inner || usesOnly(inner, Object.keys(VALUE_COLUMNS)))) {
    return {
      operand: (sub) => {
        const col = VALUE_COLUMNS[sub.name.toLowerCase()]
        if (!col) throw badRequest('invalidFilter', `"${attr.name}.${sub.name}" is not filterable`)
        return {
          expr: col.column,
          type: col.type,
          folded: col.folded,
          label: `${attr.name}.${sub.name}`,
          column: true,
        }
      },
      // A non-correlated IN lets SQLite drive the lookup from the user_values index.
      wrap: (cond) => ({
        sql: `${alias}.id IN (SELECT v.user_id FROM user_values v WHERE v.tenant_id = ${ctx.tenant.sql} AND v.attr = '${target.attr}' AND ${cond.sql})`,
        params: [...ctx.tenant.params, ...cond.params],
      }),
    }
  }
  if (target?.kind === 'membership') return membershipScope(attr, target, ctx)
  return jsonElementScope(resolved, ctx)
}

function membershipScope(
  attr: AttributeDef,
  target: Extract<Target, { kind: 'membership' }>,
  ctx: CompileContext
): ElementScope {
  return {
    operand: (sub) => {
      if (sub.name !== 'value') {
        throw badRequest(
          'invalidFilter',
          `"${attr.name}.${sub.name}" is not filterable; use "${attr.name}.value"`
        )
      }
      return {
        expr: `m.${target.otherColumn}`,
        type: 'string',
        folded: false,
        label: `${attr.name}.value`,
        column: true,
      }
    },
    wrap: (cond) => ({
      sql: `${ctx.table.alias}.id IN (SELECT m.${target.selfColumn} FROM group_members m WHERE m.tenant_id = ${ctx.tenant.sql} AND ${cond.sql})`,
      params: [...ctx.tenant.params, ...cond.params],
    }),
  }
}

function jsonElementScope(resolved: ResolvedPath, ctx: CompileContext): ElementScope {
  const { attr } = resolved
  const path = jsonPath({ schema: resolved.schema, attr })
  return {
    operand: (sub) =>
      attr.subAttributes
        ? foldable(`json_extract(e.value, '$.${sub.name}')`, sub, `${attr.name}.${sub.name}`)
        : foldable('e.value', sub, attr.name),
    wrap: (cond) => ({
      sql: `EXISTS (SELECT 1 FROM json_each(${ctx.table.alias}.data, '${path}') e WHERE ${cond.sql})`,
      params: cond.params,
    }),
  }
}

/** Compiles a bracket filter whose attribute names are sub-attributes of the element. */
function compileElement(filter: Filter, attr: AttributeDef, scope: ElementScope): SqlFragment {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return join(
        filter.kind.toUpperCase(),
        compileElement(filter.left, attr, scope),
        compileElement(filter.right, attr, scope)
      )
    case 'not': {
      const inner = compileElement(filter.filter, attr, scope)
      return { sql: `NOT coalesce(${inner.sql}, 0)`, params: inner.params }
    }
    case 'valuePath':
      throw badRequest('invalidFilter', 'A value filter cannot contain another value filter')
    case 'present':
    case 'compare':
      return compileElementAttribute(filter, attr, scope)
  }
}

function compileElementAttribute(
  filter: AttributeFilter,
  attr: AttributeDef,
  scope: ElementScope
): SqlFragment {
  const operand = scope.operand(subAttribute(attr, filter.path))
  return filter.kind === 'present'
    ? presentSql(operand)
    : compareSql(operand, filter.op, filter.value)
}

/** Finds a bracket filter's attribute among the element's sub-attributes, case-insensitively. */
function subAttribute(attr: AttributeDef, path: AttrPath): AttributeDef {
  const name = path.name.toLowerCase()
  const found = attr.subAttributes
    ? attr.subAttributes.find((s) => s.name.toLowerCase() === name)
    : name === 'value'
      ? { ...attr, name: 'value', multiValued: false }
      : undefined
  if (!found || path.sub !== undefined || path.urn !== undefined) {
    throw badRequest(
      'invalidFilter',
      `Unknown attribute "${attr.name}.${formatPath(path)}" in filter`
    )
  }
  return found
}

/** True when every attribute the filter names is one of `names` (case-insensitively). */
function usesOnly(filter: Filter, names: readonly string[]): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return usesOnly(filter.left, names) && usesOnly(filter.right, names)
    case 'not':
      return usesOnly(filter.filter, names)
    case 'valuePath':
      return false
    case 'compare':
    case 'present':
      return names.includes(filter.path.name.toLowerCase())
  }
}
