/**
 * @module Case-insensitive name lookup. Attribute names and schema URNs are case-insensitive
 * (RFC 7643 §2.1, §3): clients send `UserName`, Entra's docs show `emails[...].Value`.
 */
import { fold } from '../../lib/text'
import type { AttributeDef } from './attribute'

/** Whether two attribute names or schema URNs are the same, ignoring case. */
export const sameName = (a: string, b: string): boolean => fold(a) === fold(b)

/** The attribute of `defs` named `name` in any letter case. */
export const findAttribute = (
  defs: readonly AttributeDef[] | undefined,
  name: string
): AttributeDef | undefined => defs?.find((d) => sameName(d.name, name))
