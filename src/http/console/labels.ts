/**
 * @module Fixed words the console shows for stored codes, shared by the pages that show them:
 * why someone is on the Do Not Track list, and the rule an agent was linked to its user by.
 */
import type { AgentRow } from '../../storage/repos/agents'
import type { DntRow } from '../../storage/repos/dnt'

/** How a Do Not Track entry came about (ActivTrak's Do Not Track list). */
export const DNT_SOURCES: Record<DntRow['source'], string> = {
  tracking: 'Tracking attribute',
  'pull-dnt': 'Entra ID Do Not Track group',
  deletion: 'Deletion',
  operator: 'Added by hand',
}

/** The rule an agent was linked by: UPN first, then work email, then employeeNumber. */
export const LINK_RULES: Record<NonNullable<AgentRow['linkRule']>, string> = {
  upn: 'UPN',
  email: 'work email',
  employeeNumber: 'employeeNumber',
}
