/**
 * @module Writing CSV (RFC 4180) that is safe to open in a spreadsheet. Fields holding a comma,
 * a double quote, CR or LF are quoted, with inner quotes doubled (RFC 4180 §2.6, §2.7); records
 * end with CRLF (§2.1). A field that a spreadsheet would run as a formula (one starting with
 * `=`, `+`, `-`, `@`, a tab or CR: "CSV injection") is prefixed with `'`, so names that came from
 * an identity provider always open as text.
 */

/** What a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/

/** Characters that make a field need quotes (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/

/** One field: neutralized if it would start a formula, then quoted if it must be. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** One record, CRLF-terminated. */
export function csvRecord(
  fields: readonly (string | number | boolean | null | undefined)[]
): string {
  return `${fields.map(csvField).join(',')}\r\n`
}
