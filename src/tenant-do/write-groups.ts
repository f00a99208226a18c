/**
 * @module Group commit: the tenant object's queue of units of work. Every unit runs in arrival
 * order, one at a time; the SCIM resource writes that wait behind a D1 batch in flight are
 * prepared one after the other and committed together as the next batch (at most
 * MAX_GROUP_WRITES writes and MAX_GROUP_STATEMENTS statements), so a tenant's write rate no
 * longer divides by the D1 round trip. Each write keeps its own semantics:
 *
 * - Its preparation sees the writes prepared before it through the state the object remembers;
 *   one that must read D1 could miss their effects, so the writes before it commit first and it
 *   starts the next group (its D1 access is refused while others are pending: `guarded`).
 * - It is answered only once the batch holding its statements has committed, so the next
 *   request reads it; a failure found while preparing is its answer alone.
 * - If a combined batch fails (one write's unique name is taken, a member vanished), nothing of
 *   it was written: the remembered state is dropped and its writes run again one by one, each
 *   with its own batch, so only the bad one fails, with its own status.
 *
 * Every other unit of work (admin, roles, agents, deletes, the sync, alarms) runs alone and
 * then drops the remembered state, since it writes users, groups or memberships around it.
 */
import { SerialQueue } from '../lib/serial-queue'
import { dbOver, executeBatch, type Db, type Statement } from '../storage/db'
import type { WriteNeeds } from '../domain/warm'
import type { Outcome } from './commands'

/** At most this many writes share a batch. */
const MAX_GROUP_WRITES = 32
/** ... and at most this many statements (a write with a large member list may go alone). */
const MAX_GROUP_STATEMENTS = 400

/** Answered by `prepare` when the write must read D1 while other writes are pending. */
export const NEEDS_READ = Symbol('needs-read')

/** A write prepared for a shared batch: what it answers once the batch commits. */
export interface Prepared<T> {
  outcome: Outcome<T>
  /** Its statements and the database they go to; none when it failed or changes nothing. */
  batch?: { d1: D1Database; statements: Statement[] }
  /** Whether it asks for background work (the object's alarm). */
  wakes: boolean
}

/** A write that may share a batch with the writes queued with it. */
export interface GroupableWrite<T> {
  requestId: string | null
  /** What it will read, loaded with its group's before any of them is prepared. */
  needs: WriteNeeds
  /** Loads what these writes need and the object does not remember (one D1 round trip). */
  warm(needs: readonly WriteNeeds[]): Promise<void>
  /** Prepares it, its commit staged; `first`: nothing precedes it in the group, D1 is readable. */
  prepare(first: boolean): Promise<Prepared<T> | typeof NEEDS_READ>
  /** Runs it alone, committing its own batch. */
  alone(): Promise<Outcome<T>>
}

/** What the queue asks of the object that owns it. */
export interface GroupHooks {
  /** Runs database work done on behalf of these requests (the bench counts round trips). */
  attribute<T>(requestIds: readonly (string | null)[], work: () => Promise<T>): Promise<T>
  /** Drops what the object remembers of users and groups. */
  forget(): void
  /** Arms the alarm for background work that committed writes asked for. */
  wake(): Promise<void>
}

interface Ready {
  statements: Statement[]
  d1: D1Database | undefined
  wakes: boolean
  deliver(): void
}

interface Entry {
  requestId: string | null
  groupable: boolean
  done: boolean
  needs: WriteNeeds
  warm(needs: readonly WriteNeeds[]): Promise<void>
  prepare(first: boolean): Promise<Ready | typeof NEEDS_READ>
  alone(): Promise<void>
}

export class WriteGroups {
  readonly #queue = new SerialQueue()
  readonly #waiting: Entry[] = []

  constructor(private readonly hooks: GroupHooks) {}

  /** Queues a SCIM resource write; it may commit in one batch with its neighbours. */
  write<T>(job: GroupableWrite<T>): Promise<Outcome<T>> {
    return this.#submit<T>(job.requestId, true, (deliver) => ({
      needs: job.needs,
      warm: (needs) => job.warm(needs),
      prepare: async (first) => {
        const p = await job.prepare(first)
        if (p === NEEDS_READ) return p
        const { outcome, batch, wakes } = p
        return {
          statements: batch?.statements ?? [],
          d1: batch?.d1,
          wakes,
          deliver: () => {
            deliver(outcome)
          },
        }
      },
      alone: async () => {
        deliver(await job.alone())
      },
    }))
  }

  /** Queues a unit of work that runs alone. */
  solo<T>(requestId: string | null, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    return this.#submit<T>(requestId, false, (deliver) => ({
      needs: { users: [], groups: [], members: [] },
      warm: () => Promise.resolve(),
      prepare: () => Promise.resolve(NEEDS_READ),
      alone: async () => {
        deliver(await run())
      },
    }))
  }

  async #submit<T>(
    requestId: string | null,
    groupable: boolean,
    make: (
      deliver: (outcome: Outcome<T>) => void
    ) => Omit<Entry, 'requestId' | 'groupable' | 'done'>
  ): Promise<Outcome<T>> {
    let result: Outcome<T> | undefined
    const entry: Entry = {
      requestId,
      groupable,
      done: false,
      ...make((outcome) => {
        result = outcome
        entry.done = true
      }),
    }
    this.#waiting.push(entry)
    await this.#queue.run(() => this.#drain(entry))
    return (
      result ?? {
        ok: false,
        status: 500,
        detail: `Internal error (request ${requestId ?? 'none'})`,
      }
    )
  }

  /** Runs what waits, group by group, until `entry` is answered. */
  async #drain(entry: Entry): Promise<void> {
    while (!entry.done) {
      const next = this.#take()
      const [first] = next
      if (!first) return
      if (first.groupable) await this.#runGroup(next)
      else {
        try {
          await this.#alone(first)
        } finally {
          this.hooks.forget()
        }
      }
    }
  }

  /** The next unit of work alone, or the run of groupable writes at the head of the queue. */
  #take(): Entry[] {
    const out: Entry[] = []
    for (let head = this.#waiting[0]; head; head = this.#waiting[0]) {
      if (out.length > 0 && (!head.groupable || out.length >= MAX_GROUP_WRITES)) break
      this.#waiting.shift()
      out.push(head)
      if (!head.groupable) break
    }
    return out
  }

  async #runGroup(entries: readonly Entry[]): Promise<void> {
    await this.#warm(entries)
    let group: { entry: Entry; ready: Ready }[] = []
    let size = 0
    for (const entry of entries) {
      const prepare = (first: boolean) =>
        this.hooks.attribute([entry.requestId], () => entry.prepare(first))
      let ready = await prepare(group.length === 0)
      const full =
        ready !== NEEDS_READ &&
        group.length > 0 &&
        size + ready.statements.length > MAX_GROUP_STATEMENTS
      if (ready === NEEDS_READ || full) {
        const clean = await this.#settle(group)
        group = []
        size = 0
        // Prepared over writes that were then refused: prepare again over what committed.
        if (ready === NEEDS_READ || !clean) ready = await prepare(true)
      }
      if (ready === NEEDS_READ) await this.#alone(entry)
      else {
        group.push({ entry, ready })
        size += ready.statements.length
      }
    }
    await this.#settle(group)
  }

  /** Loads what the group's writes need in one round trip, before any of them is prepared. */
  async #warm(entries: readonly Entry[]): Promise<void> {
    const [head] = entries
    if (!head) return
    const ids = entries.map((e) => e.requestId)
    try {
      await this.hooks.attribute(ids, () => head.warm(entries.map((e) => e.needs)))
    } catch {
      // Only an optimization: each write reads what it still misses, and fails on its own.
    }
  }

  /** Commits a group as one batch and answers its writes; false if it ran them one by one. */
  async #settle(group: readonly { entry: Entry; ready: Ready }[]): Promise<boolean> {
    const statements = group.flatMap((g) => g.ready.statements)
    const d1 = group.find((g) => g.ready.d1)?.ready.d1
    if (d1 && statements.length > 0) {
      const ids = group.map((g) => g.entry.requestId)
      try {
        await this.hooks.attribute(ids, () => executeBatch(d1, statements))
      } catch {
        // Nothing of the batch was written; each write gets its own answer, alone.
        this.hooks.forget()
        for (const { entry } of group) await this.#alone(entry)
        return false
      }
    }
    if (group.some((g) => g.ready.wakes)) await this.hooks.wake()
    for (const { ready } of group) ready.deliver()
    return true
  }

  #alone(entry: Entry): Promise<void> {
    return this.hooks.attribute([entry.requestId], () => entry.alone())
  }
}

/** Refuses D1 access to a write prepared behind pending writes (it could miss their effects). */
class ReadBehindPendingWrites extends Error {}

const refusals = new WeakMap<D1Database, { db: Db; d1: D1Database }>()

/**
 * The database handles of a write prepared behind pending writes: every access to `d1` is
 * refused, and the write starts the next group instead.
 */
export function guarded(d1: D1Database): { db: Db; d1: D1Database } {
  let handles = refusals.get(d1)
  if (!handles) {
    const refusing = new Proxy(d1, {
      get: () => () => {
        throw new ReadBehindPendingWrites('A D1 access behind uncommitted writes')
      },
    })
    handles = { db: dbOver(refusing), d1: refusing }
    refusals.set(d1, handles)
  }
  return handles
}

/** Whether an error (or what it wraps) is a refused access of `guarded` handles. */
export function isRefusedRead(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof ReadBehindPendingWrites) return true
  }
  return false
}
