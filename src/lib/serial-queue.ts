/**
 * @module A promise-chain mutex. A Durable Object's input gates do not cover awaits on D1, so
 * two requests to one tenant's object could interleave their read-check-write sequences; every
 * write runs through this queue instead, one at a time, in arrival order.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` after every task enqueued before it has settled; a failure does not stop the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task)
    this.tail = result.catch(() => undefined)
    return result
  }
}
