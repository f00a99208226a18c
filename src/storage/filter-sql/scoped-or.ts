/**
 * @module Compiles a disjunction of filters with the tenant scope inside every branch:
 * `(u.tenant_id = ? AND b1) OR (u.tenant_id = ? AND b2) …`. With the tenant equality only
 * outside the OR, SQLite (which has no statistics on D1) takes `tenant_id = ?` for a selective
 * key and walks all of the tenant's rows testing the OR; with it inside each branch, every
 * branch becomes an index range of its own and SQLite unions their row ids (MULTI-INDEX OR).
 */
import type { Filter } from '../../scim/filter/ast'
import type { SqlFragment } from './compare'
import { compileFilter, type CompileContext } from './compile'

/** The operands of a chain of top-level ORs, left to right. */
export function orBranches(filter: Filter): Filter[] {
  return filter.kind === 'or' ? [...orBranches(filter.left), ...orBranches(filter.right)] : [filter]
}

/** The filter as tenant-scoped branches; each branch is compiled as any SCIM filter is. */
export function compileScopedOr(filter: Filter, ctx: CompileContext): SqlFragment {
  const scope = `${ctx.table.alias}.tenant_id = ${ctx.tenant.sql}`
  const branches = orBranches(filter).map((branch) => compileFilter(branch, ctx))
  return {
    sql: `(${branches.map((b) => `(${scope} AND ${b.sql})`).join(' OR ')})`,
    params: branches.flatMap((b) => [...ctx.tenant.params, ...b.params]),
  }
}
