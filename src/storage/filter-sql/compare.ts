/**
 * @module One SCIM comparison (RFC 7644 §3.4.2.2) as parametrised SQL over an expression.
 * LIKE is never used: D1 caps LIKE patterns at 50 bytes and `%`/`_` would need escaping;
 * instr() and substr() do the same work for any length. `sw` on a stored column is a range
 * (`>= prefix AND < next`), which SQLite answers from the column's index.
 */
import type { CompareOp, FilterValue } from '../../scim/filter/ast'
import { badRequest } from '../../scim/errors'
import type { AttributeDef } from '../../scim/schemas/attribute'
import { fold } from '../../lib/text'
import { prefixRange } from './prefix'

export type SqlParam = string | number | null

export interface SqlFragment {
  sql: string
  params: SqlParam[]
}

/** An SQL expression for an attribute's value, and whether it holds case-folded text. */
export interface Operand {
  expr: string
  type: AttributeDef['type']
  /** Compare case-insensitively: the expression is already folded (or wrapped in lower()). */
  folded: boolean
  /** Attribute name for error messages. */
  label: string
  /**
   * The expression is a stored column (not computed from the JSON document), so a range on it
   * can be answered from an index.
   */
  column: boolean
}

const ORDERING: Readonly<Record<string, string>> = { gt: '>', ge: '>=', lt: '<', le: '<=' }

export function compareSql(operand: Operand, op: CompareOp, value: FilterValue): SqlFragment {
  if (value === null) return compareNull(operand, op)
  const param = sqlValue(operand, op, value)
  const x = operand.expr
  switch (op) {
    case 'eq':
      return { sql: `${x} = ?`, params: [param] }
    case 'ne':
      return { sql: `NOT coalesce(${x} = ?, 0)`, params: [param] }
    case 'co':
      return { sql: `instr(${x}, ?) > 0`, params: [param] }
    case 'sw':
      return operand.column && typeof param === 'string'
        ? prefixRange(x, param)
        : { sql: `substr(${x}, 1, ?) = ?`, params: [charLength(param), param] }
    case 'ew':
      return charLength(param) === 0
        ? { sql: `${x} IS NOT NULL`, params: [] }
        : { sql: `substr(${x}, ?) = ?`, params: [-charLength(param), param] }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return { sql: `${x} ${ORDERING[op] ?? '='} ?`, params: [param] }
  }
}

/** `pr`: the attribute has a non-empty value (RFC 7644 §3.4.2.2). */
export function presentSql(operand: Operand): SqlFragment {
  const sql =
    operand.type === 'string' || operand.type === 'reference'
      ? `coalesce(${operand.expr} <> '', 0)`
      : `${operand.expr} IS NOT NULL`
  return { sql, params: [] }
}

function compareNull(operand: Operand, op: CompareOp): SqlFragment {
  if (op === 'eq') return { sql: `${operand.expr} IS NULL`, params: [] }
  if (op === 'ne') return { sql: `${operand.expr} IS NOT NULL`, params: [] }
  throw badRequest('invalidFilter', `Operator "${op}" cannot compare "${operand.label}" with null`)
}

const charLength = (param: SqlParam): number =>
  typeof param === 'string' ? Array.from(param).length : 0

const STRING_OPS = new Set<CompareOp>(['co', 'sw', 'ew'])

/** Converts a filter literal to the SQL parameter for this operand, rejecting type mismatches. */
function sqlValue(operand: Operand, op: CompareOp, value: string | number | boolean): SqlParam {
  const { type, label } = operand
  if (STRING_OPS.has(op) && type !== 'string' && type !== 'reference' && type !== 'binary') {
    throw badRequest('invalidFilter', `Operator "${op}" is only for strings; "${label}" is ${type}`)
  }
  switch (type) {
    case 'boolean':
      return booleanValue(operand, op, value)
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number') throw mismatch(label, type, value)
      return value
    case 'dateTime':
      return dateTimeValue(label, value)
    case 'complex':
      throw badRequest(
        'invalidFilter',
        `"${label}" is complex: filter on one of its sub-attributes`
      )
    case 'string':
    case 'reference':
    case 'binary': {
      // Real clients send numbers for string attributes (employeeNumber eq 701984).
      if (typeof value === 'boolean') throw mismatch(label, type, value)
      const text = String(value)
      return operand.folded ? fold(text) : text
    }
  }
}

function booleanValue(operand: Operand, op: CompareOp, value: string | number | boolean): number {
  if (op !== 'eq' && op !== 'ne') {
    throw badRequest(
      'invalidFilter',
      `Operator "${op}" cannot be used on boolean "${operand.label}"`
    )
  }
  // Entra sends booleans as the strings "True"/"False"; accept the same in filters.
  if (typeof value === 'string' && /^(true|false)$/i.test(value))
    return fold(value) === 'true' ? 1 : 0
  if (typeof value !== 'boolean') throw mismatch(operand.label, 'boolean', value)
  return value ? 1 : 0
}

function dateTimeValue(label: string, value: string | number | boolean): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) throw mismatch(label, 'dateTime', value)
  return new Date(ms).toISOString()
}

const mismatch = (label: string, type: string, value: unknown) =>
  badRequest(
    'invalidFilter',
    `"${label}" is ${type}; ${JSON.stringify(value)} is not a ${type} value`
  )
