/**
 * @module Case folding for case-insensitive SCIM comparisons (RFC 7643 §2.1, caseExact false).
 * JavaScript's Unicode lowercasing is used on both the stored `*_ci` columns and every query
 * parameter, so they always agree (SQLite's own lower() only folds ASCII).
 */
export const fold = (value: string): string => value.toLowerCase()

export const foldOrNull = (value: unknown): string | null =>
  typeof value === 'string' ? fold(value) : null
