/**
 * @module The SQL operand of a singular attribute, for filters and sorting: its stored column
 * when it has one (indexed, lowercased where case-insensitive), else its value read from the
 * JSON document, wrapped in lower() when it compares case-insensitively.
 */
import type { AttributeDef, ResolvedPath } from '../../scim/schemas/attribute'
import type { Operand } from './compare'
import type { CompileContext } from './compile'

/** The operand of a singular attribute (or sub-attribute) of the resource row. */
export function scalarOperand(resolved: ResolvedPath, ctx: CompileContext): Operand {
  const def = resolved.sub ?? resolved.attr
  const label = resolved.sub ? `${resolved.attr.name}.${resolved.sub.name}` : resolved.attr.name
  const target = ctx.table.target(resolved)
  if (target?.kind === 'column') {
    return { expr: target.column, type: target.type, folded: target.folded, label, column: true }
  }
  const path = jsonPath(resolved)
  const raw = `json_extract(${ctx.table.alias}.data, '${path}')`
  if (def.type === 'complex')
    return {
      expr: `json_type(${ctx.table.alias}.data, '${path}')`,
      type: 'complex',
      folded: false,
      label,
      column: false,
    }
  return foldable(raw, def, label)
}

/** Wraps case-insensitive strings in lower(); parameters are folded the same way in compare.ts. */
export function foldable(expr: string, def: AttributeDef, label: string): Operand {
  const folded = isText(def) && !def.caseExact
  return { expr: folded ? `lower(${expr})` : expr, type: def.type, folded, label, column: false }
}

const isText = (def: AttributeDef): boolean => def.type === 'string' || def.type === 'reference'

/** The JSON path of a singular attribute inside the stored document. */
export function jsonPath(resolved: ResolvedPath): string {
  const core = resolved.schema.startsWith('urn:ietf:params:scim:schemas:core:')
  const parts = core ? [] : [`"${resolved.schema}"`]
  parts.push(resolved.attr.name)
  if (resolved.sub) parts.push(resolved.sub.name)
  return `$.${parts.join('.')}`
}
