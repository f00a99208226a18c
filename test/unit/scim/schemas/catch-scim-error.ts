/**
 * @module Test helper: runs a function that must throw a ScimError and returns the parts a
 * client sees (status, scimType, detail), so tests can assert the whole error at once.
 */
import { ScimError } from '../../../../src/scim/errors'

export interface CaughtScimError {
  status: number
  scimType: string | undefined
  detail: string
}

export function catchScimError(fn: () => unknown): CaughtScimError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ScimError) {
      return { status: error.status, scimType: error.scimType, detail: error.message }
    }
    throw error
  }
  throw new Error('expected a ScimError, but nothing was thrown')
}
