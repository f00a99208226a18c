/**
 * @module The ActivTrak vendor extension of User. Its attributes are the custom ones ActivTrak's
 * setup guides ask Entra ID admins to map: the user principal names the agent reports activity
 * under (matched case-insensitively, as Windows does) and whether the user is tracked at all.
 */
import { ACTIVTRAK_USER_SCHEMA } from '../constants'
import type { SchemaDef } from './attribute'
import { attribute, complex } from './define'

export const ACTIVTRAK_USER_SCHEMA_DEF = {
  id: ACTIVTRAK_USER_SCHEMA,
  name: 'ActivTrakUser',
  description: 'ActivTrak User',
  attributes: [
    complex(
      'userPrincipalNames',
      'The user principal names (UPNs) under which the ActivTrak agent reports activity for this User.',
      [attribute('value', 'string', 'A user principal name, e.g., "ada@example.com".')],
      { multiValued: true }
    ),
    attribute(
      'tracking',
      'boolean',
      "Whether ActivTrak records this User's activity; false puts the User on the Do Not Track list."
    ),
  ],
} satisfies SchemaDef
