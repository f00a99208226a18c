/**
 * @module The Worker's log: one JSON object per line, so Workers Logs index every field. Errors
 * go to the error stream with their stack; everything else to the info stream.
 */

/** The text of an error worth logging: its stack when it has one. */
const errorText = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error)

/** Logs one event as a JSON line at `level`. */
export function logEvent(
  level: 'info' | 'warn' | 'error',
  fields: Readonly<Record<string, unknown>>
): void {
  const line = JSON.stringify({ level, ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

/** Logs an unexpected error with what identifies its request or job (`requestId`, `job`, …). */
export const logError = (error: unknown, fields: Readonly<Record<string, unknown>>): void => {
  logEvent('error', { ...fields, error: errorText(error) })
}
