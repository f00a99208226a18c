/**
 * Output of the bench: one progress line per phase as it ends, then the summary tables
 * (Markdown, so they paste into the README as they are), the ratios, the two pull syncs side by
 * side, and .bench/results.json. Sections of phases that did not run are left out.
 */
import { writeFileSync } from 'node:fs'
import type { AgentRound } from './agents.ts'
import { RESULTS_FILE, SIZES } from './config.ts'
import type { HistoryGrowth } from './history.ts'
import type { PhaseResult, Summary } from './measure.ts'
import type { Failed, SyncResult, SyncSetup } from './sync.ts'

/** A phase that did not run, and why (the deadline when no reason is given). */
export interface Skipped {
  name: string
  skipped: true
  reason?: string
}

/** A one-off step (server start, bulk load): only its wall time. */
export interface Step {
  name: string
  wallS: number
}

/** What each phase of `npm run bench:scale` yields when it runs. */
export interface Results {
  health: PhaseResult
  provisionUsers: PhaseResult
  provisionGroups: PhaseResult
  provisionMembers: PhaseResult
  provisionOneGroup: PhaseResult
  lookup10k: PhaseResult
  agentsRound1: AgentRound
  agentsRound2: AgentRound
  historyGrowth: HistoryGrowth
  buildWorker: Step
  startServer: Step
  stopServer: Step
  bulkLoad: Step
  restartServer: Step
  health2: PhaseResult
  lookup100k: PhaseResult
  consoleUsers: PhaseResult
  consoleSearch: PhaseResult
  syncSetup: SyncSetup | Failed
  syncFirst: SyncResult | Failed
  syncNoChange: SyncResult | Failed
}

/** The phases recorded so far, in the order they ran. */
export type Phases = { [K in keyof Results]?: Results[K] | Skipped }
/** Any recorded phase. */
export type Phase = NonNullable<Phases[keyof Phases]>

/** The phase when it ran (was not skipped), else undefined. */
const ran = <T extends object>(r: T | Skipped | undefined): T | undefined =>
  r === undefined || 'skipped' in r ? undefined : r

const ms = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(1))
const int = (v: number | undefined): string =>
  v === undefined ? '' : Math.round(v).toLocaleString('en-US')

/** Renders rows (arrays of cells) as a Markdown table; columns after the first are right-aligned. */
export function markdownTable(header: string[], rows: string[][]): string {
  const cells = [header, ...rows]
  const width = header.map((_, j) => Math.max(3, ...cells.map((r) => r[j]?.length ?? 0)))
  const pad = (c: string, j: number): string =>
    j === 0 ? c.padEnd(width[j] ?? 0) : c.padStart(width[j] ?? 0)
  const line = (r: string[]): string => `| ${r.map(pad).join(' | ')} |`
  const dashes = (w: number, j: number): string =>
    j === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`
  const rule = `| ${width.map(dashes).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

const PHASE_HEADER = ['phase', 'ops', 'failures', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s']
const blank = (n: number): string[] => Array.from({ length: n }, () => '')

function phaseRow(r: Phase): string[] {
  if ('skipped' in r) return [r.name, `skipped (${r.reason ?? 'deadline'})`, ...blank(6)]
  if (!('count' in r)) return [r.name, ...blank(6), r.wallS.toFixed(1)]
  const count = r.truncated ? `${int(r.count)} of ${int(r.planned)}` : int(r.count)
  const latency = [ms(r.p50), ms(r.p99), ms(r.max)]
  return [r.name, count, int(r.failures), r.rps.toFixed(1), ...latency, r.wallS.toFixed(1)]
}

/** The line printed when a phase ends. */
export const progressLine = (r: Phase): string =>
  phaseRow(r)
    .filter((c, j) => j === 0 || c !== '')
    .join('  ·  ')

const AGENT_HEADER = [
  'agent round',
  'batches',
  'agents',
  'failures',
  'server p50',
  'server p99',
  'server max',
  'client p50',
  'client p99',
  'client max',
  'linked',
  'link changes',
  'agents/s',
]

function agentRow(r: AgentRound | Skipped): string[] {
  if ('skipped' in r) return [r.name, 'skipped (deadline)', ...blank(11)]
  const linked =
    r.linked === r.expectedLinked
      ? int(r.linked)
      : `${int(r.linked)} (expected ${int(r.expectedLinked)})`
  const times = (t: Summary): string[] => [ms(t.p50), ms(t.p99), ms(t.max)]
  const counts = [int(r.count), int(r.agents), int(r.failures)]
  const links = [linked, int(r.linkChanges)]
  return [
    r.name,
    ...counts,
    ...times(r.server),
    ...times(r.client),
    ...links,
    r.agentsPerS.toFixed(0),
  ]
}

function historyLine(h: HistoryGrowth | Skipped | undefined): string {
  if (!h || 'skipped' in h) return 'history growth: skipped (deadline)'
  const ops = Object.entries(h.addedByOp)
    .map(([op, v]) => `${op} +${int(v)}`)
    .join(', ')
  const writes = `${int(h.succeeded)} successful writes of ${int(h.writes)}`
  return [
    `history growth: ${h.rowsPer1000Writes.toFixed(0)} rows per 1,000 SCIM writes`,
    `  (${int(h.rowsAdded)} rows added by ${writes}: ${ops || 'none'};`,
    `   ${int(h.historyBefore)} -> ${int(h.historyAfter)} rows for the tenant)`,
  ].join('\n')
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a && b ? a / b : undefined

/** The comparisons the bench exists for, each within this one run. */
function ratios(
  p: Phases,
  labels: { users: string; big: string }
): Record<string, number | undefined> {
  const l10 = ran(p.lookup10k)
  const l100 = ran(p.lookup100k)
  const health = ran(p.health)
  const health2 = ran(p.health2)
  const consoleUsers = ran(p.consoleUsers)
  const consoleSearch = ran(p.consoleSearch)
  const oneGroup = ran(p.provisionOneGroup)
  const members = ran(p.provisionMembers)
  const { users, big } = labels
  return {
    [`member PATCHes/s into one group of ${users} / into groups of ${SIZES.membersPerGroup}`]:
      ratio(oneGroup?.rps, members?.rps),
    [`console Users page p50 @${big} / lookup p50 @${big}`]: ratio(consoleUsers?.p50, l100?.p50),
    [`console search p50 @${big} / lookup p50 @${big}`]: ratio(consoleSearch?.p50, l100?.p50),
    [`console Users page req/s @${big} / lookup req/s @${big}`]: ratio(
      consoleUsers?.rps,
      l100?.rps
    ),
    [`console search req/s @${big} / lookup req/s @${big}`]: ratio(consoleSearch?.rps, l100?.rps),
    [`lookup p50 @${big} / @${users}`]: ratio(l100?.p50, l10?.p50),
    [`lookup req/s @${big} / @${users}`]: ratio(l100?.rps, l10?.rps),
    [`lookup p50 @${users} / health p50`]: ratio(l10?.p50, health?.p50),
    [`lookup req/s @${users} / health req/s`]: ratio(l10?.rps, health?.rps),
    [`lookup p50 @${big} / health p50 (after restart)`]: ratio(l100?.p50, health2?.p50),
    [`lookup req/s @${big} / health req/s (after restart)`]: ratio(l100?.rps, health2?.rps),
  }
}

type Figure = [string, (r: SyncResult) => string]
const SYNC_FIGURES: Figure[] = [
  ['status', (r) => r.status],
  ['wall s (client, polled every 2 s)', (r) => r.wallS.toFixed(1)],
  ['run s (startedAt to finishedAt)', (r) => (r.runS === undefined ? '' : r.runS.toFixed(1))],
  ['steps', (r) => int(r.metrics.steps)],
  ['LONGEST STEP ms', (r) => int(r.metrics.longestStepMs)],
  ['Graph requests (run)', (r) => int(r.metrics.graphRequests)],
  ['Graph requests (fake)', (r) => int(r.fake.graphRequests)],
  ['token requests (run)', (r) => int(r.metrics.tokenRequests)],
  ['token requests (fake)', (r) => int(r.fake.tokenRequests)],
  ['D1 rows written', (r) => int(r.metrics.d1RowsWritten)],
]

/** One figure of one sync; a sync that did not get as far as a report has only its state. */
function syncCell(
  r: SyncResult | Failed | Skipped | undefined,
  figure: (r: SyncResult) => string
): string {
  if (r === undefined) return ''
  if ('skipped' in r) return `skipped (${r.reason ?? 'deadline'})`
  if (!('metrics' in r)) return 'error'
  return figure(r)
}

/** The two syncs side by side: metrics, then the run's counts, unsupported groups, errors. */
/** The sync when it ran and got as far as a report. */
const reported = (r: SyncResult | Failed | Skipped | undefined): SyncResult | undefined => {
  const result = ran(r)
  return result && 'metrics' in result ? result : undefined
}

function syncTable(
  setup: SyncSetup | Failed | Skipped | undefined,
  first: SyncResult | Failed | Skipped | undefined,
  again: SyncResult | Failed | Skipped | undefined
): string {
  const counts = Object.keys(reported(first)?.counts ?? reported(again)?.counts ?? {})
  const figures: Figure[] = [
    ...SYNC_FIGURES,
    ...counts.map((k): Figure => [`counts.${k}`, (r) => int(r.counts[k])]),
    ['unsupported groups', (r) => int(r.run.unsupportedGroups.length)],
    ['run errors', (r) => int(r.run.errors.length)],
  ]
  const rows = figures.map(([label, f]) => [label, syncCell(first, f), syncCell(again, f)])
  const done = ran(setup)
  const entra = done && 'entra' in done ? done.entra : undefined
  const size = entra === undefined ? '' : `${int(entra.users)} users, ${int(entra.groups)} groups`
  return markdownTable([`pull sync ${size}`, 'first sync', 'no-change sync'], rows)
}

function syncSection({ syncSetup, syncFirst: first, syncNoChange: again }: Phases): string {
  const lines = [syncTable(syncSetup, first, again)]
  const done = ran(syncSetup)
  const setup = done && 'entra' in done ? done : undefined
  if (setup !== undefined) {
    lines.push(
      `(agents reported for ${int(setup.agents)} of ${int(setup.entra.users)} Entra users, by` +
        ` UPN, before the first sync; LONGEST STEP = the worst single alarm step, wall time)`
    )
  }
  const longest = (
    [
      ['first sync', reported(first)],
      ['no-change sync', reported(again)],
    ] as const
  ).flatMap(([label, r]) => (r ? [`${label} ${int(r.metrics.longestStepMs)} ms`] : []))
  if (longest.length > 0) lines.push(`>>> LONGEST STEP: ${longest.join(', ')} <<<`)
  const warnings = [reported(first), reported(again)].flatMap((r) => r?.warnings ?? [])
  return [...lines, ...warnings.map((w) => `WARNING: ${w}`)].join('\n')
}

/** Two decimals are plenty in results.json. */
const rounded = (_: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v

/** Prints the summary tables and writes results.json. */
export function report({
  meta,
  phases,
  labels,
}: {
  meta: Record<string, unknown>
  phases: Phases
  labels: { users: string; big: string }
}): void {
  const agents = [phases.agentsRound1, phases.agentsRound2].filter((r) => r !== undefined)
  const r = ratios(phases, labels)
  const ratioRows = Object.entries(r).map(([k, v]) => [k, v === undefined ? 'n/a' : v.toFixed(2)])
  console.log(`\n${markdownTable(PHASE_HEADER, Object.values(phases).map(phaseRow))}`)
  console.log(
    '(one op = one HTTP request; except provision users/groups: lookup + POST; agents: a batch)\n'
  )
  if (agents.length > 0) {
    console.log(markdownTable(AGENT_HEADER, agents.map(agentRow)))
    console.log('(agent batch times in ms: server = the response\'s "ms", client = round trip)\n')
  }
  if (phases.historyGrowth) console.log(`${historyLine(phases.historyGrowth)}\n`)
  if (phases.health) console.log(`${markdownTable(['ratio (same run)', 'value'], ratioRows)}\n`)
  if (phases.syncSetup) console.log(`${syncSection(phases)}\n`)
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ meta, phases, ratios: r }, rounded, 2)}\n`)
  console.log(`results: ${RESULTS_FILE}`)
}
