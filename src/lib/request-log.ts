/**
 * @module The request log's writer: one JSON object per line, written in small batches. Every
 * console message a Worker writes costs the runtime's log pipeline a fixed amount whatever its
 * length (under `wrangler dev`, about a millisecond of CPU per message in wrangler and its proxy),
 * so the lines of the requests an isolate finishes within `FLUSH_AFTER_MS` share one message
 * (NDJSON, at most `MAX_LINES` lines). The first line of a batch keeps its request alive until
 * the batch is written (`waitUntil`), so no line is lost when the isolate goes idle. Errors are
 * not batched: a 5xx line is written at once with `console.error`, after the lines before it.
 */

/** A batch is written once it holds this many lines… */
export const MAX_LINES = 50
/** …or this long after its first line, whichever comes first. */
export const FLUSH_AFTER_MS = 100

let pending: string[] = []
let timer: Promise<void> | undefined

/** Writes the lines waiting, as one message. */
function flush(): void {
  if (pending.length === 0) return
  console.info(pending.join('\n'))
  pending = []
}

/**
 * Queues one info line; `waitUntil` keeps the request that starts a batch alive until the
 * batch is written.
 */
export function logRequestLine(line: string, waitUntil: (p: Promise<unknown>) => void): void {
  pending.push(line)
  if (pending.length >= MAX_LINES) {
    flush()
    return
  }
  if (timer) return
  timer = scheduler.wait(FLUSH_AFTER_MS).then(() => {
    timer = undefined
    flush()
  })
  waitUntil(timer)
}

/** Writes an error line at once, after the info lines queued before it. */
export function logRequestError(line: string): void {
  flush()
  console.error(line)
}
