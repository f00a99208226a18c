/** @module Shape checks on parsed JSON, shared by every layer that reads documents. */

/** True for a JSON object (not an array, not null). */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
