/**
 * @module Index paging parameters (RFC 7644 §3.4.2.4), from a query string or a SearchRequest
 * body, turned into the window a list query uses. Values the RFC says to interpret are clamped
 * (startIndex below 1, count below 0 or above the maximum); values that are not integers, and a
 * startIndex beyond {@link MAX_START_INDEX}, are refused, so no out-of-range number reaches SQL.
 */
import { badRequest, type ScimType } from './errors'
import { quote } from './filter/lexer'

/**
 * The largest startIndex served: far beyond any directory, and well inside the integers SQL
 * takes as an OFFSET.
 */
export const MAX_START_INDEX = 2_147_483_647

/** A paging value as the client sent it: a JSON number, or the text of a query parameter. */
type PagingValue = number | string

export interface PagingParams {
  startIndex?: PagingValue | undefined
  count?: PagingValue | undefined
}

export interface PageLimits {
  defaultPageSize: number
  maxPageSize: number
}

/** The 1-based index of the first result and the number of results of one page. */
export interface PageWindow {
  startIndex: number
  count: number
}

/**
 * The page a request asks for. RFC 7644 §3.4.2.4: startIndex below 1 is 1, a negative count is
 * 0, and a count above the maximum is the maximum (the response's itemsPerPage says so).
 * @throws ScimError 400 invalidValue for a startIndex that is not an integer or is above
 * {@link MAX_START_INDEX}; 400 invalidCount (RFC 9865 §6) for a count that is not an integer.
 */
export function pageWindow(params: PagingParams, limits: PageLimits): PageWindow {
  const start = params.startIndex === undefined ? 1 : readInteger(params.startIndex, 'startIndex')
  if (start > MAX_START_INDEX) {
    throw badRequest(
      'invalidValue',
      `startIndex ${describe(params.startIndex)} is too large; the largest accepted is ` +
        String(MAX_START_INDEX)
    )
  }
  const count =
    params.count === undefined ? limits.defaultPageSize : readInteger(params.count, 'count')
  return {
    startIndex: Math.max(1, start),
    count: Math.min(Math.max(0, count), limits.maxPageSize),
  }
}

const SCIM_TYPE: Record<keyof PagingParams, ScimType> = {
  startIndex: 'invalidValue',
  count: 'invalidCount',
}

/** An integer of any size (huge ones come out as ±Infinity or inexact, and are then bounded). */
function readInteger(value: PagingValue, name: keyof PagingParams): number {
  if (typeof value === 'number' ? Number.isInteger(value) : /^[+-]?\d+$/.test(value.trim())) {
    return Number(value)
  }
  throw badRequest(SCIM_TYPE[name], `${name} must be an integer, not ${describe(value)}`)
}

const describe = (value: PagingValue | undefined): string =>
  typeof value === 'string' ? quote(value.trim()) : String(value)
