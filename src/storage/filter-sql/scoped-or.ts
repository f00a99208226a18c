/**
 * @module A disjunction with the tenant scope inside every branch:
 * `(u.tenant_id = ? AND b1) OR (u.tenant_id = ? AND b2) …`. With the tenant equality only
 * outside the OR, SQLite (which has no statistics on D1) takes `tenant_id = ?` for a selective
 * key and walks all of the tenant's rows testing the OR; with it inside each branch, every
 * branch becomes an index lookup or range of its own and SQLite unions their row ids
 * (MULTI-INDEX OR). compile.ts compiles SCIM filters this way (Okta and scripts send
 * `userName eq "x" or emails.value eq "x"`), and so does the admin user search.
 */
import type { Filter } from '../../scim/filter/ast'
import type { SqlFragment } from './compare'
import type { CompileContext } from './compile'

/** The operands of a chain of top-level ORs, left to right. */
export function orBranches(filter: Filter): Filter[] {
  return filter.kind === 'or' ? [...orBranches(filter.left), ...orBranches(filter.right)] : [filter]
}

/** Compiled branches joined by OR, each with the tenant scope of its own. */
export function scopeBranches(
  branches: readonly SqlFragment[],
  ctx: Pick<CompileContext, 'tenant' | 'table'>
): SqlFragment {
  const scope = `${ctx.table.alias}.tenant_id = ${ctx.tenant.sql}`
  return {
    sql: `(${branches.map((b) => `(${scope} AND ${b.sql})`).join(' OR ')})`,
    params: branches.flatMap((b) => [...ctx.tenant.params, ...b.params]),
  }
}
