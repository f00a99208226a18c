/**
 * @module Splitting bulk statements under D1's limit of 100 bound parameters per statement.
 */
export const MAX_BOUND_PARAMS = 100

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** How many rows of `columns` bound values fit into one statement. */
export const rowsPerStatement = (columns: number): number => Math.floor(MAX_BOUND_PARAMS / columns)
