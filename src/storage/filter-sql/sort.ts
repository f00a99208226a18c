/**
 * @module sortBy (RFC 7644 §3.4.2.3) as an SQL ordering expression. A multi-valued attribute
 * sorts by its primary (or first) value, as the RFC asks.
 */
import type { AttrPath } from '../../scim/filter/ast'
import { badRequest } from '../../scim/errors'
import type { CompileContext } from './compile'
import { scalarOperand } from './operands'

export function sortExpression(path: AttrPath, ctx: CompileContext): string {
  const resolved = ctx.resolve(path)
  if (!resolved) throw badRequest('invalidValue', `Cannot sort by unknown attribute "${path.name}"`)
  if (!resolved.attr.multiValued) {
    const operand = scalarOperand(resolved, ctx)
    if (operand.type === 'complex') {
      throw badRequest('invalidValue', `Cannot sort by complex attribute "${resolved.attr.name}"`)
    }
    return operand.expr
  }
  const target = ctx.table.target({ schema: resolved.schema, attr: resolved.attr })
  if (target?.kind !== 'values' || (resolved.sub && resolved.sub.name !== 'value')) {
    throw badRequest('invalidValue', `Cannot sort by "${resolved.attr.name}"`)
  }
  const alias = ctx.table.alias
  return `(SELECT v.value_ci FROM user_values v WHERE v.tenant_id = ${alias}.tenant_id AND v.user_id = ${alias}.id AND v.attr = '${target.attr}' ORDER BY v.is_primary DESC LIMIT 1)`
}
