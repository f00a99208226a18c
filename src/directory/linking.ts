/**
 * @module Which user an agent belongs to. An agent is linked to the user one of its identifiers
 * matches, trying the rules in precedence order: UPN (the user's userPrincipalNames or
 * userName), then work email, then employeeNumber; all case-insensitive. When several users
 * match at the same rule, the oldest (lowest UUIDv7 id) wins, so the choice is stable.
 */
import type { UserIdentifiers } from './identifiers'

export type LinkRule = 'upn' | 'email' | 'employeeNumber'

const LINK_RULES: readonly LinkRule[] = ['upn', 'email', 'employeeNumber']

/** An agent's reported identifiers, folded; null when the agent did not report one. */
export interface AgentIdentifiers {
  upn: string | null
  email: string | null
  employeeId: string | null
}

export interface LinkCandidate {
  userId: string
  ids: UserIdentifiers
}

export interface LinkChoice {
  userId: string
  rule: LinkRule
}

function matches(rule: LinkRule, agent: AgentIdentifiers, ids: UserIdentifiers): boolean {
  switch (rule) {
    case 'upn':
      return agent.upn !== null && ids.upns.includes(agent.upn)
    case 'email':
      return agent.email !== null && ids.workEmails.includes(agent.email)
    case 'employeeNumber':
      return agent.employeeId !== null && ids.employeeNumber === agent.employeeId
  }
}

/** The user an agent links to among the candidates, or null when none matches. */
export function chooseLink(
  agent: AgentIdentifiers,
  candidates: readonly LinkCandidate[]
): LinkChoice | null {
  for (const rule of LINK_RULES) {
    const hits = candidates.filter((c) => matches(rule, agent, c.ids)).map((c) => c.userId)
    const first = hits.sort()[0]
    if (first !== undefined) return { userId: first, rule }
  }
  return null
}

/** Whether an agent's link must be rewritten. */
export const linkChanged = (
  current: { userId: string | null; rule: LinkRule | null },
  next: LinkChoice | null
): boolean =>
  (current.userId ?? null) !== (next?.userId ?? null) ||
  (current.rule ?? null) !== (next?.rule ?? null)
