/**
 * @module Derives the `user_values` rows (indexed copies of emails and userPrincipalNames) from
 * a user document. Pure: recomputed on every write of the user.
 */
import { fold } from '../../lib/text'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { INDEXED_USER_VALUES } from '../filter-sql/targets'

export interface UserValueRow {
  attr: string
  typeCi: string | null
  valueCi: string
  primary: boolean
}

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'

function containerOf(doc: ScimDocument, schema: string): Record<string, unknown> | undefined {
  if (schema === CORE) return doc
  const ext = doc[schema]
  return typeof ext === 'object' && ext !== null && !Array.isArray(ext)
    ? (ext as Record<string, unknown>)
    : undefined
}

export function userValueRows(doc: ScimDocument): UserValueRow[] {
  const rows: UserValueRow[] = []
  for (const [key, attr] of Object.entries(INDEXED_USER_VALUES)) {
    const schema = key.slice(0, key.lastIndexOf(':'))
    const list = containerOf(doc, schema)?.[attr]
    if (!Array.isArray(list)) continue
    for (const item of list) {
      const el = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
      if (typeof el.value !== 'string') continue
      rows.push({
        attr,
        typeCi: typeof el.type === 'string' ? fold(el.type) : null,
        valueCi: fold(el.value),
        primary: el.primary === true,
      })
    }
  }
  return rows
}
