/**
 * @module Group commit: the tenant object's queue of units of work. Every unit runs in arrival
 * order; the SCIM resource writes that wait behind a D1 batch in flight are prepared, one after
 * the other, while it flies, and committed together as the next batch once it has landed (at
 * most MAX_GROUP_WRITES writes and MAX_GROUP_STATEMENTS statements), so a tenant's write rate no
 * longer divides by the D1 round trip, nor waits for preparing between batches. At most one
 * batch is in flight, so batches reach D1 in order. Each write keeps its own semantics:
 *
 * - Its preparation sees the writes prepared before it through the state the object remembers;
 *   one that must read D1 could miss their effects, so the writes before it land first and it
 *   starts the next group (its D1 access is refused while others are pending: `guarded`).
 * - It is answered only once the batch holding its statements has committed, so the next
 *   request reads it; a failure found while preparing is its answer alone.
 * - If a combined batch fails (one write's unique name is taken, a member vanished), nothing of
 *   it was written: the remembered state is dropped (it holds that batch's writes and those
 *   prepared over them), its writes run again one by one, each with its own batch, so only the
 *   bad one fails, with its own status, and the writes prepared over it are prepared again.
 *
 * A group that would go out with nothing in flight and nothing queued waits a moment for company
 * (up to `lingerMs`, 2 ms by default, for each next write, while it holds fewer than
 * LINGER_WRITES), but only while writes have been arriving together: when the last batch carried
 * more than one write, or was prepared behind another in flight. This is PostgreSQL's
 * `commit_delay` with `commit_siblings`. When D1 answers fast, batches land before the next write
 * arrives and the pipeline alone sends one write per batch, each paying a batch's fixed cost. A
 * lone client never waits (its batches carry one write, prepared with nothing in flight); the end
 * of a burst costs one wait.
 *
 * Every other unit of work (admin, roles, agents, deletes, the sync, alarms) runs alone and
 * drops the remembered state before it is answered, since it writes users, groups,
 * memberships or keys around it.
 */
import { SerialQueue } from '../lib/serial-queue'
import { dbOver, type Db, type Statement } from '../storage/db'
import { jsonChunkCount } from '../storage/json-rows'
import { commitWithHistory } from '../storage/repos/history'
import { logError } from '../lib/log'
import type { WriteNeeds } from '../domain/warm'
import type { Outcome } from './commands'

/** At most this many writes share a batch. */
const MAX_GROUP_WRITES = 32
/** ... and at most this many statements (a write with a large member list may go alone). */
const MAX_GROUP_STATEMENTS = 400
/**
 * A group waits for company only while it holds fewer writes than this: waiting for every
 * concurrent writer would stall them all together; in A/B runs on member PATCHes up to 4 did as
 * well as up to 8 or 16, within the rounds' spread.
 */
const LINGER_WRITES = 4

/** Answered by `prepare` when the write must read D1 while other writes are pending. */
export const NEEDS_READ = Symbol('needs-read')

/** A write prepared for a shared batch: what it answers once the batch commits. */
export interface Prepared<T> {
  outcome: Outcome<T>
  /**
   * Its statements, its history rows (`historyJson`: the group's go in as one insert after every
   * write's statements) and the database they go to; none when it failed or changes nothing.
   */
  batch?: { d1: D1Database; statements: Statement[]; historyJson: string[] }
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
  /** Whether the object remembers all that a write with these needs reads. */
  isWarm(needs: WriteNeeds): boolean
  /** Drops what the object remembers of users and groups. */
  forget(): void
  /** Arms the alarm for background work that committed writes asked for. */
  wake(): Promise<void>
  /** How long a batch waits for company while writes arrive together; 0: never. */
  readonly lingerMs: number
}

interface Ready {
  statements: Statement[]
  historyJson: string[]
  /** What it adds to its group's batch at most: its statements and its history's inserts. */
  size: number
  d1: D1Database | undefined
  wakes: boolean
  deliver(): void
}

/** A write prepared into the group being built. */
interface Staged {
  entry: Entry
  ready: Ready
}

/** A group whose batch is in flight. */
interface Flight {
  group: readonly Staged[]
  /** True once committed and answered; false if the database refused the batch. */
  committed: Promise<boolean>
  /** Settles with `committed`, never rejecting; `landed` is then true. */
  landing: Promise<void>
  landed: boolean
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
  /** Called when a unit of work is queued (a pipeline waiting for writes to prepare). */
  #arrived: (() => void) | undefined
  /** Whether writes have been arriving together: the last batch showed concurrent writers. */
  #together = false

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
        const statements = batch?.statements ?? []
        const historyJson = batch?.historyJson ?? []
        return {
          statements,
          historyJson,
          size: statements.length + jsonChunkCount(historyJson),
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

  /**
   * Queues a unit of work that runs alone. It may write users, groups, memberships or keys
   * around what the object remembers, so the object forgets before the unit is answered.
   */
  solo<T>(requestId: string | null, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    return this.#submit<T>(requestId, false, (deliver) => ({
      needs: { users: [], groups: [], members: [] },
      warm: () => Promise.resolve(),
      prepare: () => Promise.resolve(NEEDS_READ),
      alone: async () => {
        const outcome = await run().finally(() => {
          this.hooks.forget()
        })
        deliver(outcome)
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
    let answered = (): void => undefined
    const answer = new Promise<void>((resolve) => {
      answered = resolve
    })
    const entry: Entry = {
      requestId,
      groupable,
      done: false,
      ...make((outcome) => {
        result = outcome
        entry.done = true
        answered()
      }),
    }
    this.#waiting.push(entry)
    this.#arrived?.()
    this.#arrived = undefined
    // Answered as soon as its batch commits, while the queue may go on with the writes after it.
    await Promise.race([answer, this.#queue.run(() => this.#drain(entry))])
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
      if (first.groupable) await this.#runGroups(next)
      else await this.#alone(first)
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

  /** The groupable writes at the head of the queue (those that arrived meanwhile). */
  #takeArrivals(): Entry[] {
    const out: Entry[] = []
    for (let head = this.#waiting[0]; head?.groupable; head = this.#waiting[0]) {
      out.push(head)
      this.#waiting.shift()
    }
    return out
  }

  /**
   * Prepares and commits groupable writes, `entries` first, then those arriving meanwhile: while
   * one group's batch is in flight, the writes behind it are prepared as the next group (reading
   * nothing: D1 is out of reach while writes are pending), sent once the first has landed. A
   * write that must read lands everything pending first. If a batch fails, nothing of it was
   * written: the object forgets what it remembers (its writes and those prepared over it), runs
   * its writes alone, and prepares the next group again.
   */
  async #runGroups(entries: readonly Entry[]): Promise<void> {
    await this.#warm(entries)
    const todo = [...entries]
    let flight: Flight | undefined
    let group: Staged[] = []
    /** Whether the group being built began while a batch was in flight. */
    let behind = false
    /** Waits for the batch in flight; false if it failed (what was prepared is then prepared again). */
    const land = async (): Promise<boolean> => {
      if (!flight) return true
      const { group: sent, committed } = flight
      flight = undefined
      if (await committed) return true
      this.hooks.forget()
      todo.unshift(...group.map((g) => g.entry))
      group = []
      for (const { entry } of sent) await this.#alone(entry)
      return false
    }
    /** Sends the group prepared as the next batch once the one in flight has landed (`land`). */
    const send = async (): Promise<boolean> => {
      if (!(await land())) return false
      if (group.length > 0) {
        this.#together = group.length > 1 || behind
        flight = this.#fly(group)
      }
      group = []
      return true
    }
    /** While writes arrive together, whether the next unit of work arrives within `lingerMs`. */
    const company = (): Promise<boolean> => {
      const { lingerMs } = this.hooks
      if (!this.#together || group.length >= LINGER_WRITES || lingerMs === 0) {
        return Promise.resolve(false)
      }
      let clear = (): void => undefined
      const waited = new Promise<false>((resolve) => {
        const timer = setTimeout(() => {
          resolve(false)
        }, lingerMs)
        clear = () => {
          clearTimeout(timer)
        }
      })
      return Promise.race([this.#nextArrival().then(() => true), waited]).finally(clear)
    }
    for (;;) {
      const pending = flight !== undefined || group.length > 0
      if (todo.length === 0 && pending) todo.push(...this.#takeArrivals())
      const entry = todo.shift()
      if (!entry) {
        if (!pending) return
        // Nothing to prepare: wait for the batch in flight to land, or for a write to arrive.
        if (flight && !flight.landed) await Promise.race([flight.landing, this.#nextArrival()])
        else await send()
        continue
      }
      // Behind pending writes, one that would have to read is not prepared in vain.
      const cold = pending && !this.hooks.isWarm(entry.needs)
      const ready = cold
        ? NEEDS_READ
        : await this.hooks.attribute([entry.requestId], () => entry.prepare(!pending))
      if (ready === NEEDS_READ && !pending) {
        // It may read and still cannot be prepared: it runs alone.
        await this.#alone(entry)
        continue
      }
      // Put back first: if what went before it fails, it is prepared again in its turn.
      todo.unshift(entry)
      if (ready === NEEDS_READ) {
        // Its refused read changed nothing. Everything before it lands; then what it and the
        // writes waiting behind it miss is read at once.
        if (await send()) await land()
        todo.push(...this.#takeArrivals())
        await this.#warm(todo)
        continue
      }
      const size = group.reduce((n, g) => n + g.ready.size, 0)
      if (group.length > 0 && size + ready.size > MAX_GROUP_STATEMENTS) {
        // The group is full: it goes, and this write, prepared over it, starts the next one.
        if (!(await send())) continue
      }
      todo.shift()
      if (group.length === 0) behind = flight !== undefined
      group.push({ entry, ready })
      const more = todo.length > 0 || this.#waiting[0]?.groupable === true
      if (group.length >= MAX_GROUP_WRITES || flight?.landed === true) await send()
      else if (!flight && !more) {
        // Nothing in flight and nothing queued: while writes arrive together, the next one is
        // likely a moment away, and sharing this batch costs it less than a batch of its own.
        if (await company()) continue
        await send()
      }
    }
  }

  /** Resolves when the next unit of work is queued. */
  #nextArrival(): Promise<void> {
    return new Promise((resolve) => {
      this.#arrived = resolve
    })
  }

  /** Sends a group's batch; `committed` is false if the database refused it. */
  #fly(group: readonly Staged[]): Flight {
    const committed = this.#commit(group)
    const flight: Flight = {
      group,
      committed,
      landed: false,
      landing: committed.then(
        () => undefined,
        () => undefined
      ),
    }
    void flight.landing.then(() => {
      flight.landed = true
    })
    return flight
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

  /**
   * Commits a group as one batch and answers its writes; false, answering none, if the database
   * refused the batch (then nothing of it was written). A batch D1 answered with an error but
   * committed (the answer was lost) is answered as committed: run again, its creates would find
   * their own users and fail.
   */
  async #commit(group: readonly Staged[]): Promise<boolean> {
    const statements = group.flatMap((g) => g.ready.statements)
    const history = group.flatMap((g) => g.ready.historyJson)
    const d1 = group.find((g) => g.ready.d1)?.ready.d1
    if (d1 && statements.length + history.length > 0) {
      const ids = group.map((g) => g.entry.requestId)
      const lost = (error: unknown) => {
        logError(error, { requestIds: ids, job: 'batch-committed-answer-lost' })
      }
      try {
        await this.hooks.attribute(ids, () => commitWithHistory(d1, statements, history, lost))
      } catch {
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
