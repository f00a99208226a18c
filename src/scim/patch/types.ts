/**
 * @module The validated form of one PATCH operation (RFC 7644 §3.5.2), shared by the request
 * parser, the document engine and the group membership planner.
 */
import { ScimError } from '../errors'
import type { PatchPath } from '../filter/ast'

export type PatchOpName = 'add' | 'remove' | 'replace'

/** One operation of a PatchOp request, checked and with its path parsed. */
export interface PatchOperation {
  /** Lower-cased: Entra ID sends `Add`, `Replace`, `Remove`. */
  op: PatchOpName
  /** Absent when the operation targets the resource itself (no-path add/replace). */
  path?: PatchPath
  /** The path as the client wrote it, for error messages. */
  pathText?: string
  /** Absent only for remove; may be `null` (RFC 7643 §2.5: null means unassigned). */
  value?: unknown
  /** 0-based position in the request's `Operations`; messages say `Operation ${index + 1}`. */
  index: number
}

/** How error messages name an operation: 1-based, as an admin reading the request counts. */
export const opLabel = (index: number): string => `Operation ${String(index + 1)}`

/** Runs `fn`, prefixing the detail of any ScimError it throws with the operation label. */
export function withOpLabel<T>(index: number, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (!(error instanceof ScimError) || error.message.startsWith('Operation ')) throw error
    throw new ScimError(
      error.status,
      `${opLabel(index)}: ${error.message}`,
      error.scimType,
      error.headers
    )
  }
}
