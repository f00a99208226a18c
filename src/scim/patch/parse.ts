/**
 * @module Validation of the PatchOp request envelope (RFC 7644 §3.5.2). Every operation is
 * checked and its path parsed before any is applied, so a bad operation anywhere in the request
 * rejects the whole request without a partial write.
 */
import { badRequest } from '../errors'
import { parsePatchPath } from '../filter/parser'
import { isJsonObject } from '../../lib/json'
import { sameName } from '../schemas/lookup'
import { opLabel, withOpLabel, type PatchOpName, type PatchOperation } from './types'

/** Upper bound on operations per request; larger requests answer `tooMany`. */
const MAX_PATCH_OPERATIONS = 1000

const OP_NAMES: readonly PatchOpName[] = ['add', 'remove', 'replace']

/**
 * Checks a PATCH body and returns its operations in request order.
 *
 * `schemas` is deliberately not checked: real clients omit it or send it misspelled, and the
 * endpoint already tells which message this is. `Operations` is accepted in any letter case.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw badRequest(
      'invalidSyntax',
      'The PATCH body must be a JSON object with an "Operations" array'
    )
  }
  const operations = memberCI(body, 'Operations')
  if (!Array.isArray(operations)) {
    throw badRequest(
      'invalidSyntax',
      'The PATCH body must have an "Operations" array (RFC 7644 §3.5.2)'
    )
  }
  if (operations.length === 0) {
    throw badRequest('invalidSyntax', 'The PATCH "Operations" array is empty')
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    const count = String(operations.length)
    const max = String(MAX_PATCH_OPERATIONS)
    throw badRequest(
      'tooMany',
      `The PATCH request has ${count} operations; at most ${max} are accepted`
    )
  }
  return operations.map((raw: unknown, index) => parseOperation(raw, index))
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const label = opLabel(index)
  if (!isJsonObject(raw))
    throw badRequest('invalidSyntax', `${label}: must be a JSON object with "op"`)
  const op = parseOpName(raw, label)
  const pathText = parsePathText(raw, label)
  const value = memberCI(raw, 'value')
  if (op === 'remove' && pathText === undefined) {
    // RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
    throw badRequest('noTarget', `${label}: remove needs a "path" naming what to remove`)
  }
  if (op !== 'remove' && value === undefined) {
    throw badRequest('invalidSyntax', `${label}: ${op} needs a "value"`)
  }
  if (pathText === undefined && !isJsonObject(value)) {
    // RFC 7644 §3.5.2.1/§3.5.2.3: without a path the value is a set of attributes.
    throw badRequest(
      'invalidSyntax',
      `${label}: without a "path", "value" must be an object of attributes`
    )
  }
  const result: PatchOperation = { op, index }
  if (pathText !== undefined) {
    result.pathText = pathText
    result.path = withOpLabel(index, () => parsePatchPath(pathText))
  }
  if (value !== undefined) result.value = value
  return result
}

function parseOpName(raw: Record<string, unknown>, label: string): PatchOpName {
  const op = memberCI(raw, 'op')
  const name = OP_NAMES.find((n) => typeof op === 'string' && op.toLowerCase() === n)
  if (name !== undefined) return name
  const got = typeof op === 'string' ? ` (got "${op}")` : ''
  throw badRequest('invalidSyntax', `${label}: op must be add, remove or replace${got}`)
}

/** The path text, or undefined when absent; null and "" count as absent (sent by some clients). */
function parsePathText(raw: Record<string, unknown>, label: string): string | undefined {
  const path = memberCI(raw, 'path')
  if (path === undefined || path === null) return undefined
  if (typeof path !== 'string') throw badRequest('invalidSyntax', `${label}: path must be a string`)
  return path.trim() === '' ? undefined : path.trim()
}

/** The member of `obj` named `name` in any letter case; an exact spelling wins. */
function memberCI(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name]
  const key = Object.keys(obj).find((k) => sameName(k, name))
  return key === undefined ? undefined : obj[key]
}
