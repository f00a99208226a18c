/**
 * @module What recomputing roles reads for the members a group of queued writes names, read
 * once before they are prepared, so that in a tenant whose groups carry roles each member write
 * is prepared without a D1 read and the group commits as one batch (without it every such
 * write read its members' memberships and roles first, with the tenant's queue held still).
 *
 * The snapshot is read while no write is pending, so it is what D1 holds. It answers a
 * recomputation for users no write prepared since has recomputed: every recomputation records
 * the users it did (`touch`), and only a recomputation changes what the snapshot holds while it
 * lives (a membership of a group without a role counts for no role; every other change to
 * memberships, roles or settings runs alone, and the object forgets after it). A user a write
 * has touched is read from D1 again (behind pending writes that read is refused, so it lands
 * them first). The object drops the snapshot with everything else it remembers.
 */
import type { MembershipFactRow } from '../storage/repos/groups'
import type { RoleState } from '../storage/repos/users'

export class RoleSnapshot {
  /** Each user read: its state, or null when it is no user of the tenant. */
  readonly #states = new Map<string, RoleState | null>()
  readonly #facts = new Map<string, MembershipFactRow[]>()
  readonly #touched = new Set<string>()

  /** `facts` and `states` as read for `userIds`. */
  constructor(
    userIds: readonly string[],
    facts: readonly MembershipFactRow[],
    states: readonly RoleState[]
  ) {
    for (const id of userIds) this.#states.set(id, null)
    for (const s of states) this.#states.set(s.id, s)
    for (const f of facts) {
      const list = this.#facts.get(f.userId)
      if (list) list.push(f)
      else this.#facts.set(f.userId, [f])
    }
  }

  /** Whether it read these users (answered or not). */
  covers(userIds: readonly string[]): boolean {
    return userIds.every((id) => this.#states.has(id))
  }

  /**
   * The memberships and stored roles of these users, as D1 would answer once the writes
   * prepared since have landed; undefined when the snapshot cannot tell.
   */
  answer(
    userIds: readonly string[]
  ): { facts: MembershipFactRow[]; states: RoleState[] } | undefined {
    if (!this.covers(userIds) || userIds.some((id) => this.#touched.has(id))) return undefined
    return {
      facts: userIds.flatMap((id) => this.#facts.get(id) ?? []),
      states: userIds.flatMap((id) => this.#states.get(id) ?? []),
    }
  }

  /** Records users whose memberships or role a prepared write changed. */
  touch(userIds: readonly string[]): void {
    for (const id of userIds) this.#touched.add(id)
  }
}
