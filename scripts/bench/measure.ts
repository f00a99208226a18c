/**
 * Bounded measurement loops: a phase runs at most `count` tasks and stops at the global
 * deadline, and reports attempts, failures, throughput, latency percentiles and wall time.
 */
import { pastDeadline } from './config.ts'

/** Nearest-rank percentiles of a list of latencies (ms); zeros when the list is empty. */
/** Latency percentiles (ms) of a list. */
export interface Summary {
  p50: number
  p99: number
  max: number
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  const pct = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
  return { p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? 0 }
}

/** Keeps the first few failure messages, printed as they happen and kept for results.json. */
export function failureLog(
  name: string,
  keep = 3
): { messages: string[]; add: (i: number, error: unknown) => void } {
  const messages: string[] = []
  return {
    messages,
    add(i: number, error: unknown) {
      if (messages.length >= keep) return
      const message = `#${i}: ${error instanceof Error ? error.message : String(error)}`
      messages.push(message)
      console.error(`  ! ${name} ${message}`)
    },
  }
}

/**
 * Runs task(0..count-1) with `concurrency` workers, each bounded by the count, the deadline and
 * (when given) the phase's own `maxS` seconds. Every attempt (failed or not) is timed; `count`
 * in the result is the attempts made.
 */
/** One phase to run: `task(i)` sends request i of `count`. */
export interface PhaseSpec {
  name: string
  count: number
  concurrency: number
  task: (i: number) => Promise<unknown>
  maxS?: number | undefined
}

/** What a phase did: attempts, failures, throughput, latency and wall time. */
export interface PhaseResult extends Summary {
  name: string
  planned: number
  count: number
  failures: number
  rps: number
  wallS: number
  truncated: boolean
  errors: string[]
}

export async function runPhase({
  name,
  count,
  concurrency,
  task,
  maxS,
}: PhaseSpec): Promise<PhaseResult> {
  const latencies: number[] = []
  const errors = failureLog(name)
  let next = 0
  let failures = 0
  const t0 = performance.now()
  const overTime = () => maxS !== undefined && performance.now() - t0 >= maxS * 1000
  const worker = async () => {
    while (next < count && !pastDeadline() && !overTime()) {
      const i = next++
      const s = performance.now()
      try {
        await task(i)
      } catch (e) {
        failures++
        errors.add(i, e)
      }
      latencies.push(performance.now() - s)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker))
  const wallS = (performance.now() - t0) / 1000
  const done = latencies.length
  return {
    name,
    planned: count,
    count: done,
    failures,
    rps: wallS > 0 ? done / wallS : 0,
    ...summarize(latencies),
    wallS,
    truncated: done < count,
    errors: errors.messages,
  }
}

/** Times a one-off step (bulk load, restart, count) for the table. */
export async function runStep<T>(
  name: string,
  fn: () => T | Promise<T>
): Promise<{ name: string; wallS: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { name, wallS: (performance.now() - t0) / 1000, value }
}
