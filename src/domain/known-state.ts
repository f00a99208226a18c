/**
 * @module What the tenant's object knows of the users and groups it has read or written, so
 * the hot SCIM writes (user POST, PUT, PATCH; group POST, PUT, PATCH) prepare their batch
 * without a D1 read. The object is the tenant's only writer, so what it remembers stays true
 * as long as every write it runs keeps it current:
 *
 * - The writes above update it after their commit was issued; the object clears it whenever a
 *   batch fails (so nothing a refused batch promised stays) and after every other unit of work
 *   (deletes, admin, roles, agents, DNT, the pull sync, purges, offboarding), since those write
 *   users, groups or memberships without going through it.
 * - Memory is bounded: 5,000 user documents, 100,000 user ids known to exist, and groups weighed
 *   as one plus their member count up to 100,000 in all (a group of more than 20,000 members is
 *   remembered without its members). Least recently used entries go first.
 * - It lives in memory only: after the object is evicted or restarted it starts empty, and each
 *   write that misses reads what it needs from D1 once (as every write did before) and keeps it.
 * - In a tenant with agents, what linking reads for the user creates it warms up for
 *   (./link-snapshot.ts), valid for a create until a write touches what its links depend on;
 *   in a tenant whose groups carry roles, what recomputing roles reads for the members its
 *   group writes name (./role-snapshot.ts), valid for a user until a write recomputes it.
 * - In a tenant of at most ALL_USER_IDS_MAX users, the first write that checks member ids loads
 *   every user id at once (../storage/repos/write-state.ts): from then on an id it does not
 *   know is no user, and member checks read nothing until it forgets. A larger tenant is found
 *   so once and then reads only the ids it checks.
 */
import { Lru } from '../lib/lru'
import type { StoredResource } from '../model/resource'
import type { GroupResource, MemberDelta } from '../storage/repos/groups'
import type { LinkSnapshot } from './link-snapshot'
import type { RoleSnapshot } from './role-snapshot'

const USER_DOCS_MAX = 5_000
const USER_IDS_MAX = 100_000
const GROUP_WEIGHT_MAX = 100_000
/** Larger groups are remembered without their members (their member PATCHes read the rows). */
export const GROUP_MEMBERS_MAX = 20_000
/** Tenants with at most this many users have all their ids loaded by the first member check. */
export const ALL_USER_IDS_MAX = 10_000

/**
 * Every member id of a group; `too-many` for a group larger than the object keeps, undefined
 * when not known (a group just read from D1).
 */
export type KnownMembers = ReadonlySet<string> | 'too-many' | undefined

export interface KnownGroup {
  group: GroupResource
  members: KnownMembers
}

export class KnownState {
  readonly #users = new Lru<string, StoredResource>(USER_DOCS_MAX)
  readonly #userIds = new Lru<string, true>(USER_IDS_MAX)
  /** Whether #userIds holds every user id of the tenant. */
  #allUserIds = false
  /**
   * Whether the tenant had more users than ALL_USER_IDS_MAX when last loaded: then they are not
   * loaded again. Kept across clear(): only a hint (a tenant rarely shrinks below it).
   */
  #tooManyForAll = false
  /** Members as a set of the state's own, so a member write changes it in place (see below). */
  readonly #groups = new Lru<string, { group: GroupResource; members: Set<string> | 'too-many' }>(
    GROUP_WEIGHT_MAX,
    (g) => 1 + (typeof g.members === 'object' ? g.members.size : 0)
  )

  user(id: string): StoredResource | undefined {
    return this.#users.get(id)
  }

  /** Remembers a user as it now is in D1 (or will be once the write's batch commits). */
  rememberUser(user: StoredResource): void {
    this.#users.set(user.id, user)
    this.rememberUserIds([user.id])
  }

  /** The ids among `ids` not known to be users of the tenant. */
  unknownUsers(ids: readonly string[]): string[] {
    return ids.filter((id) => !this.#userIds.has(id))
  }

  /** Whether every user id of the tenant is known: an id not known is then no user. */
  get knowsAllUserIds(): boolean {
    return this.#allUserIds
  }

  /** Whether loading every user id is worth it: not known yet, and the tenant is small. */
  get wantsAllUserIds(): boolean {
    return !this.#allUserIds && !this.#tooManyForAll
  }

  rememberUserIds(ids: Iterable<string>): void {
    for (const id of ids) {
      // Evicting an id would make "not known" no longer mean "no user".
      if (this.#userIds.size >= USER_IDS_MAX && !this.#userIds.has(id)) this.#allUserIds = false
      this.#userIds.set(id, true)
    }
  }

  /** Remembers the tenant's user ids, all of them (as one read found them). */
  rememberAllUserIds(ids: readonly string[]): void {
    this.rememberUserIds(ids)
    this.#allUserIds = ids.length <= ALL_USER_IDS_MAX
    this.#tooManyForAll = !this.#allUserIds
  }

  group(id: string): KnownGroup | undefined {
    return this.#groups.get(id)
  }

  /**
   * Remembers a group with its members: `members` with `delta` applied (a write's net rows). One
   * whose members are not known is forgotten. When `members` is the set remembered for the group
   * it is changed in place, not copied, and only the added ids are remembered as users: a
   * member PATCH then costs the same in a group of 20 or of 20,000.
   */
  rememberGroup(group: GroupResource, members: KnownMembers, delta?: MemberDelta): void {
    if (members === undefined) {
      this.#groups.delete(group.id)
      return
    }
    const held = this.#groups.get(group.id)?.members
    let kept: Set<string> | 'too-many' = 'too-many'
    if (members !== 'too-many') {
      const inPlace = held === members
      const set = inPlace ? held : new Set(members)
      for (const id of delta?.add ?? []) set.add(id)
      for (const id of delta?.remove ?? []) set.delete(id)
      if (set.size <= GROUP_MEMBERS_MAX) {
        kept = set
        this.rememberUserIds(inPlace ? (delta?.add ?? []) : set)
      }
    }
    this.#groups.set(group.id, { group, members: kept })
  }

  /**
   * What agent linking reads for the user creates of the last warm-up, while it holds
   * (./link-snapshot.ts); undefined when none was read.
   */
  links: LinkSnapshot | undefined

  /**
   * What recomputing roles reads for the members of the last warm-up's group writes, while it
   * holds (./role-snapshot.ts); undefined when none was read.
   */
  roles: RoleSnapshot | undefined

  /** Forgets everything: the next writes read D1 again. */
  clear(): void {
    this.#users.clear()
    this.#userIds.clear()
    this.#allUserIds = false
    this.#groups.clear()
    this.links = undefined
    this.roles = undefined
  }
}
