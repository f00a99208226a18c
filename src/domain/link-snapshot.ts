/**
 * @module What agent linking needs for a group of queued user creates, read once before they are
 * prepared, so that in a tenant with agents each create is prepared without a D1 read and the
 * group commits as one batch (without it every create read the agents and users its identifiers
 * name, two or three round trips each, with the tenant's queue held still).
 *
 * The snapshot is read while no write is pending, so it is what D1 holds. It then answers a
 * create for as long as no write prepared since has touched what that create's links depend on:
 * its identifiers, the agents they name, those agents' other identifiers, the users they are
 * linked to. Every user write that re-evaluates links records what it touched (`touch`); a
 * create whose answer any of that touched is not answered, and reads D1 as before (behind pending
 * writes that read is refused, so it lands them first). A write that ends an agent merge
 * (`spoil`) unfolds agents the snapshot never read: nothing is answered after it. The object
 * drops the snapshot with everything else it remembers.
 */
import type { StoredResource } from '../model/resource'
import type { AgentRow, IdentifierSets } from '../storage/repos/agents'
import type { LinkContextRows } from '../storage/repos/link-context'

/** What a create's link evaluation reads, as the snapshot answers it. */
export interface LinkAnswer {
  /** The active agents reporting any of the create's identifiers. */
  agents: AgentRow[]
  /** Users matching those agents' identifiers (and maybe others; linking checks each). */
  users: readonly StoredResource[]
  /** Of the users agents are linked to, those whose row is gone. */
  gone: ReadonlySet<string>
}

/** What a write that re-evaluated links changed. */
export interface LinkTouch {
  sets: IdentifierSets
  userIds: readonly string[]
  agentIds: readonly string[]
}

const keysOf = (sets: IdentifierSets): string[] => [
  ...sets.upns.map((v) => `upn:${v}`),
  ...sets.emails.map((v) => `email:${v}`),
  ...sets.employeeIds.map((v) => `emp:${v}`),
]

const agentKeys = (a: AgentRow): string[] =>
  keysOf({
    upns: a.upnCi === null ? [] : [a.upnCi],
    emails: a.emailCi === null ? [] : [a.emailCi],
    employeeIds: a.employeeIdCi === null ? [] : [a.employeeIdCi],
  })

export class LinkSnapshot {
  readonly #covered: ReadonlySet<string>
  readonly #users: readonly StoredResource[]
  readonly #gone: ReadonlySet<string>
  /** The agents read, by each identifier they report, with all their identifiers. */
  readonly #byKey = new Map<string, { agent: AgentRow; keys: string[] }[]>()
  readonly #touchedKeys = new Set<string>()
  readonly #touchedUsers = new Set<string>()
  readonly #touchedAgents = new Set<string>()
  #spoiled = false

  /** `rows` as read for `sets`, complete. */
  constructor(sets: IdentifierSets, rows: LinkContextRows) {
    this.#covered = new Set(keysOf(sets))
    this.#users = rows.users
    this.#gone = new Set(rows.gone)
    for (const agent of rows.agents) {
      const entry = { agent, keys: agentKeys(agent) }
      for (const k of entry.keys) {
        const list = this.#byKey.get(k)
        if (list) list.push(entry)
        else this.#byKey.set(k, [entry])
      }
    }
  }

  /** Whether it read what linking needs for these identifiers (answered or not). */
  covers(sets: IdentifierSets): boolean {
    return keysOf(sets).every((k) => this.#covered.has(k))
  }

  /**
   * What a create with these identifiers reads, as D1 would answer it once the writes prepared
   * since the snapshot have landed; undefined when the snapshot cannot tell.
   */
  answer(sets: IdentifierSets): LinkAnswer | undefined {
    if (this.#spoiled) return undefined
    const keys = keysOf(sets)
    if (!this.covers(sets) || keys.some((k) => this.#touchedKeys.has(k))) return undefined
    const named = new Map(keys.flatMap((k) => this.#byKey.get(k) ?? []).map((e) => [e.agent.id, e]))
    const touched = [...named.values()].some(
      ({ agent, keys: reported }) =>
        this.#touchedAgents.has(agent.id) ||
        (agent.userId !== null && this.#touchedUsers.has(agent.userId)) ||
        reported.some((k) => this.#touchedKeys.has(k))
    )
    if (touched) return undefined
    const agents = [...named.values()].map((e) => e.agent)
    return { agents, users: this.#users, gone: this.#gone }
  }

  /** Records what a prepared write changed, so no later answer depends on it. */
  touch(change: LinkTouch): void {
    for (const k of keysOf(change.sets)) this.#touchedKeys.add(k)
    for (const id of change.userIds) this.#touchedUsers.add(id)
    for (const id of change.agentIds) this.#touchedAgents.add(id)
  }

  /** A write changed agents beyond what the snapshot read: it answers nothing more. */
  spoil(): void {
    this.#spoiled = true
  }
}
