/**
 * Output of the comparative bench: per concurrency, a table of every request kind (D1 round
 * trips, server CPU per request, req/s, p50/p99) for the product beside the minimal floor with
 * their ratios; the overall ratios; and member-PATCH throughput and read latency at each
 * injected D1 latency. Tables are Markdown, so they paste into the README as they are.
 */
import { writeFileSync } from 'node:fs'
import { RESULTS_FILE } from './config.ts'
import type { PhaseResult } from './measure.ts'
import { markdownTable } from './report.ts'

/** Mean D1 round trips of a request kind, and the usual `worker+object` pair. */
export interface TripStats {
  usual: string
  worker: number
  object: number
}

/** One request kind measured on one Worker, with its server CPU and D1 round trips. */
export interface Measured extends PhaseResult {
  kind: string
  cpuMsPerRequest: number | undefined
  /** The part of it spent in the workerd that runs the Worker (./cpu.ts). */
  runtimeCpuMsPerRequest: number | undefined
  trips: TripStats | undefined
}

/** The two Workers' figures for one request kind. */
export interface Pair {
  product?: Measured
  minimal?: Measured
}

/** One load at one latency and concurrency: each request kind on both Workers. */
export interface Run {
  latency: number
  concurrency: number
  full: boolean
  phases: Record<string, Pair>
}

const fixed = (v: number | undefined, d = 1): string =>
  v === undefined || !Number.isFinite(v) ? '' : v.toFixed(d)
const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b ? a / b : undefined
/** `worker+object` round trips, as most requests of the kind made them. */
const trips = (r: Measured | undefined): string => (r?.trips ? r.trips.usual : '')
const both = (
  p: Measured | undefined,
  m: Measured | undefined,
  f: (r: Measured | undefined) => number | undefined,
  d = 1
): string => `${fixed(f(p), d)} / ${fixed(f(m), d)}`

const KIND_HEADER = [
  'request kind (product / minimal)',
  'D1 trips',
  'CPU ms/req',
  'CPU ×',
  'req/s',
  'req/s ×',
  'p50 ms',
  'p99 ms',
]

function kindRow({ product: p, minimal: m }: Pair): string[] {
  return [
    p?.kind ?? m?.kind ?? '',
    `${trips(p)} / ${trips(m)}`,
    both(p, m, (r) => r?.cpuMsPerRequest, 2),
    fixed(ratio(p?.cpuMsPerRequest, m?.cpuMsPerRequest), 2),
    both(p, m, (r) => r?.rps),
    fixed(ratio(p?.rps, m?.rps), 2),
    both(p, m, (r) => r?.p50),
    both(p, m, (r) => r?.p99),
  ]
}

/** Requests, wall time and CPU of a whole run of one target. */
function totals(
  run: Run,
  target: keyof Pair
): { count: number; rps: number; cpuMs: number; runtimeCpuMs: number; failures: number } {
  const rs = Object.values(run.phases).flatMap((p) => p[target] ?? [])
  const sum = (f: (r: Measured) => number | undefined): number =>
    rs.reduce((a, r) => a + (f(r) ?? 0), 0)
  const count = sum((r) => r.count)
  return {
    count,
    rps: count / sum((r) => r.wallS),
    cpuMs: sum((r) => (r.cpuMsPerRequest ?? 0) * r.count) / count,
    runtimeCpuMs: sum((r) => (r.runtimeCpuMsPerRequest ?? 0) * r.count) / count,
    failures: sum((r) => r.failures),
  }
}

/** The overall comparison of one full load: req/s and CPU per request, product / minimal. */
function overall(run: Run) {
  const p = totals(run, 'product')
  const m = totals(run, 'minimal')
  return {
    requests: p.count,
    productRps: p.rps,
    minimalRps: m.rps,
    rpsRatio: ratio(p.rps, m.rps),
    productCpuMs: p.cpuMs,
    minimalCpuMs: m.cpuMs,
    cpuRatio: ratio(p.cpuMs, m.cpuMs),
    productRuntimeCpuMs: p.runtimeCpuMs,
    minimalRuntimeCpuMs: m.runtimeCpuMs,
    runtimeCpuRatio: ratio(p.runtimeCpuMs, m.runtimeCpuMs),
  }
}

const LATENCY_HEADER = [
  'D1 latency, concurrency',
  'member PATCH/s (product / minimal)',
  '×',
  'GET /Users/{id} p50 / p99 (product)',
  '(minimal)',
  'filter p50 / p99 (product)',
  '(minimal)',
]

const p50p99 = (r: Measured | undefined): string => (r ? `${fixed(r.p50)} / ${fixed(r.p99)}` : '')

function latencyRow(run: Run): string[] {
  const { memberPatch: patch, getUser: get, lookupMatch: lookup } = run.phases
  return [
    `${run.latency} ms, ${run.concurrency}`,
    both(patch?.product, patch?.minimal, (r) => r?.rps),
    fixed(ratio(patch?.product?.rps, patch?.minimal?.rps), 2),
    p50p99(get?.product),
    p50p99(get?.minimal),
    p50p99(lookup?.product),
    p50p99(lookup?.minimal),
  ]
}

const rounded = (_: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v

/** Prints the tables and writes results.json. */
export function compareReport({
  meta,
  runs,
}: {
  meta: Record<string, unknown>
  runs: Run[]
}): void {
  const full = runs.filter((r) => r.full)
  const summary: Record<string, ReturnType<typeof overall>> = {}
  for (const run of full) {
    console.log(`\nD1 latency ${run.latency} ms, concurrency ${run.concurrency}:`)
    console.log(markdownTable(KIND_HEADER, Object.values(run.phases).map(kindRow)))
    const o = overall(run)
    summary[`c${run.concurrency}`] = o
    console.log(
      `overall: ${o.requests} requests; req/s ${fixed(o.productRps)} / ${fixed(o.minimalRps)}` +
        ` = ${fixed(o.rpsRatio, 2)}×; CPU ms/req ${fixed(o.productCpuMs, 2)} /` +
        ` ${fixed(o.minimalCpuMs, 2)} = ${fixed(o.cpuRatio, 2)}×, of which the Worker's runtime` +
        ` ${fixed(o.productRuntimeCpuMs, 2)} / ${fixed(o.minimalRuntimeCpuMs, 2)} =` +
        ` ${fixed(o.runtimeCpuRatio, 2)}×`
    )
  }
  console.log('\n(D1 trips: worker+object round trips of most requests of the kind; CPU: wrangler')
  console.log(' and workerd processes, utime+stime from /proc, per request; runtime: the workerd')
  console.log(' that runs the Worker, its objects and local D1; × = product / minimal)\n')
  console.log(markdownTable(LATENCY_HEADER, runs.map(latencyRow)))
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ meta, summary, runs }, rounded, 2)}\n`)
  console.log(`\nresults: ${RESULTS_FILE}`)
}
