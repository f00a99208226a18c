/**
 * @module Derives the `user_values` rows (indexed copies of emails and userPrincipalNames) from
 * a user document. Pure: recomputed on every write of the user.
 */
import { isJsonObject } from '../../lib/json'
import { fold } from '../../lib/text'
import type { ScimDocument } from '../../scim/schemas/attribute'
import { containerOf } from '../../scim/schemas/document'
import { INDEXED_USER_VALUES } from '../filter-sql/targets'

export interface UserValueRow {
  attr: string
  typeCi: string | null
  valueCi: string
  primary: boolean
}

export function userValueRows(doc: ScimDocument): UserValueRow[] {
  const rows: UserValueRow[] = []
  for (const [key, attr] of Object.entries(INDEXED_USER_VALUES)) {
    const schema = key.slice(0, key.lastIndexOf(':'))
    const list = containerOf(doc, schema)?.[attr]
    if (!Array.isArray(list)) continue
    for (const item of list) {
      const el = isJsonObject(item) ? item : {}
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
