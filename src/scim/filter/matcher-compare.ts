/**
 * @module One SCIM comparison (RFC 7644 §3.4.2.2) as a test over one value, by attribute type:
 * strings compare case-insensitively unless caseExact, ordering is lexicographic for strings and
 * chronological for dateTime, and booleans and binaries cannot be ordered. Literal checks and
 * messages match the SQL compiler's (src/storage/filter-sql/compare.ts), which must agree.
 */
import { fold } from '../../lib/text'
import { badRequest } from '../errors'
import type { AttributeDef } from '../schemas/attribute'
import { isJsonObject } from '../../lib/json'
import type { CompareOp, FilterValue } from './ast'

type Test = (value: unknown) => boolean

/** `pr`: not null, not "", not [] and not {} (RFC 7644 §3.4.2.2, RFC 7643 §2.5). */
export const isPresent = (value: unknown): boolean =>
  value !== undefined &&
  value !== null &&
  value !== '' &&
  !(Array.isArray(value) && value.length === 0) &&
  !(isJsonObject(value) && Object.keys(value).length === 0)

const STRING_OPS: ReadonlySet<CompareOp> = new Set(['co', 'sw', 'ew'])
const ORDERING_OPS: ReadonlySet<CompareOp> = new Set(['gt', 'ge', 'lt', 'le'])

/**
 * Compiles `<attribute> <op> <literal>` into a test over the attribute's value. A missing value
 * fails every operator but `ne` (and `eq null`), as SQL's NULL does in the compiled filter.
 * @throws ScimError invalidFilter when the operator or literal does not fit the attribute type.
 */
export function compileComparison(
  def: AttributeDef,
  label: string,
  op: CompareOp,
  literal: FilterValue
): Test {
  if (literal === null) return compareNull(label, op)
  if (def.type === 'complex') {
    throw badRequest('invalidFilter', `"${label}" is complex: filter on one of its sub-attributes`)
  }
  if (STRING_OPS.has(op) && !isTextual(def)) {
    throw badRequest(
      'invalidFilter',
      `Operator "${op}" is only for strings; "${label}" is ${def.type}`
    )
  }
  if (ORDERING_OPS.has(op) && (def.type === 'boolean' || def.type === 'binary')) {
    throw badRequest('invalidFilter', `Operator "${op}" cannot be used on ${def.type} "${label}"`)
  }
  const positive = op === 'ne' ? 'eq' : op
  const test = isTextual(def)
    ? textTest(def, label, positive, literal)
    : orderTest(positive, ordering(def, label, literal))
  return op === 'ne' ? (v) => !test(v) : test
}

const isTextual = (def: AttributeDef): boolean =>
  def.type === 'string' || def.type === 'reference' || def.type === 'binary'

function compareNull(label: string, op: CompareOp): Test {
  if (op === 'eq') return (v) => v === undefined || v === null
  if (op === 'ne') return (v) => v !== undefined && v !== null
  throw badRequest('invalidFilter', `Operator "${op}" cannot compare "${label}" with null`)
}

/** Whether a comparison result (negative, zero, positive) satisfies eq/gt/ge/lt/le. */
function passes(op: CompareOp, c: number): boolean {
  switch (op) {
    case 'gt':
      return c > 0
    case 'ge':
      return c >= 0
    case 'lt':
      return c < 0
    case 'le':
      return c <= 0
    case 'ne':
      return c !== 0
    case 'eq':
    case 'co':
    case 'sw':
    case 'ew':
      return c === 0
  }
}

/** The value's position relative to the literal; undefined when the value is not comparable. */
type Ordering = (value: unknown) => number | undefined

const orderTest =
  (op: CompareOp, order: Ordering): Test =>
  (v) => {
    const c = order(v)
    return c !== undefined && passes(op, c)
  }

function ordering(def: AttributeDef, label: string, literal: string | number | boolean): Ordering {
  switch (def.type) {
    case 'boolean': {
      const expected = Number(booleanLiteral(label, literal))
      return (v) => (typeof v === 'boolean' ? Number(v) - expected : undefined)
    }
    case 'dateTime': {
      // Chronological, not textual: "2024-01-01T00:00:00+02:00" is before "2024-01-01T00:00:00Z".
      const expected = typeof literal === 'string' ? Date.parse(literal) : Number.NaN
      if (Number.isNaN(expected)) throw mismatch(label, 'dateTime', literal)
      return (v) => {
        const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN
        return Number.isNaN(ms) ? undefined : ms - expected
      }
    }
    case 'integer':
    case 'decimal':
    case 'string':
    case 'binary':
    case 'reference':
    case 'complex': {
      if (typeof literal !== 'number') throw mismatch(label, def.type, literal)
      return (v) => (typeof v === 'number' ? v - literal : undefined)
    }
  }
}

/** Entra ID writes booleans as "True"/"False"; filters get the same tolerance as values. */
function booleanLiteral(label: string, literal: string | number | boolean): boolean {
  if (typeof literal === 'boolean') return literal
  if (typeof literal === 'string' && /^(true|false)$/i.test(literal))
    return fold(literal) === 'true'
  throw mismatch(label, 'boolean', literal)
}

/**
 * String, reference and binary comparisons. Strings and references fold case unless caseExact
 * (RFC 7643 §2.2); binaries are base64, where case matters, so they never fold (as in SQL).
 * Ordering is lexicographic (RFC 7644 §3.4.2.2).
 */
function textTest(
  def: AttributeDef,
  label: string,
  op: CompareOp,
  literal: string | number | boolean
): Test {
  // Real clients send numbers for string attributes (employeeNumber eq 701984).
  if (typeof literal === 'boolean') throw mismatch(label, def.type, literal)
  const folds = def.type !== 'binary' && !def.caseExact
  const norm = (s: string): string => (folds ? fold(s) : s)
  const expected = norm(String(literal))
  return (v) => typeof v === 'string' && textPasses(op, norm(v), expected)
}

function textPasses(op: CompareOp, actual: string, expected: string): boolean {
  switch (op) {
    case 'co':
      return actual.includes(expected)
    case 'sw':
      return actual.startsWith(expected)
    case 'ew':
      return actual.endsWith(expected)
    case 'eq':
    case 'ne':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return passes(op, actual < expected ? -1 : actual > expected ? 1 : 0)
  }
}

const mismatch = (label: string, type: string, value: unknown) =>
  badRequest(
    'invalidFilter',
    `"${label}" is ${type}; ${JSON.stringify(value)} is not a ${type} value`
  )
