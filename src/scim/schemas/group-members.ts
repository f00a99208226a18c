/**
 * @module The membership rule of this service: a Group's members are users of the same tenant,
 * given by id. Nested groups are not supported (Entra ID only provisions direct members anyway),
 * so a member of type "Group" is refused with a message saying so, rather than stored as a
 * dangling id.
 */
import { fold } from '../../lib/text'
import { badRequest } from '../errors'
import { mustBe } from './coerce'
import { isJsonObject } from '../../lib/json'

/**
 * Checks the coerced `members` of a Group: each element has a string `value` and, when it has
 * a `type`, that type is "User" (any case). Exported for the PATCH engine's member values.
 * @param members the coerced attribute value (undefined when unassigned).
 */
export function assertUserMembers(members: unknown, path = 'members'): void {
  if (!Array.isArray(members)) return
  members.forEach((member: unknown, i) => {
    const at = `${path}[${String(i)}]`
    const el = isJsonObject(member) ? member : {}
    if (typeof el.value !== 'string')
      throw badRequest('invalidValue', `Attribute "${at}.value" is required`)
    if (el.type === undefined || (typeof el.type === 'string' && fold(el.type) === 'user')) return
    if (typeof el.type === 'string' && fold(el.type) === 'group') {
      throw badRequest(
        'invalidValue',
        `Group members must be users; nested groups are not supported (member "${el.value}")`
      )
    }
    throw mustBe(`${at}.type`, '"User"')
  })
}
