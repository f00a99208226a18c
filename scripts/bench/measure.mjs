/**
 * Bounded measurement loops: a phase runs at most `count` tasks and stops at the global
 * deadline, and reports attempts, failures, throughput, latency percentiles and wall time.
 */
import { pastDeadline } from './config.mjs'

/** Nearest-rank percentiles of a list of latencies (ms); zeros when the list is empty. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const pct = (p) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
  return { p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? 0 }
}

/** Keeps the first few failure messages, printed as they happen and kept for results.json. */
export function failureLog(name, keep = 3) {
  const messages = []
  return {
    messages,
    add(i, error) {
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
export async function runPhase({ name, count, concurrency, task, maxS }) {
  const latencies = []
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
export async function runStep(name, fn) {
  const t0 = performance.now()
  const value = await fn()
  return { name, wallS: (performance.now() - t0) / 1000, value }
}
