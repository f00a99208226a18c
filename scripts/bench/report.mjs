/**
 * Output of the bench: one progress line per phase as it ends, then the summary tables
 * (Markdown, so they paste into the README as they are), the ratios, the two pull syncs side by
 * side, and .bench/results.json. Sections of phases that did not run are left out.
 */
import { writeFileSync } from 'node:fs'
import { RESULTS_FILE } from './config.mjs'

const ms = (v) => (v === undefined ? '' : v.toFixed(1))
const int = (v) => (v === undefined ? '' : Math.round(v).toLocaleString('en-US'))

/** Renders rows (arrays of cells) as a Markdown table; columns after the first are right-aligned. */
export function markdownTable(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)))
  const width = header.map((_, j) => Math.max(3, ...cells.map((r) => r[j].length)))
  const pad = (c, j) => (j === 0 ? c.padEnd(width[j]) : c.padStart(width[j]))
  const line = (r) => `| ${r.map(pad).join(' | ')} |`
  const dashes = (w, j) => (j === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)
  const rule = `| ${width.map(dashes).join(' | ')} |`
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n')
}

const PHASE_HEADER = ['phase', 'ops', 'failures', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s']
const blank = (n) => Array.from({ length: n }, () => '')

function phaseRow(r) {
  if (r.skipped) return [r.name, `skipped (${r.reason ?? 'deadline'})`, ...blank(6)]
  if (r.count === undefined) return [r.name, ...blank(6), r.wallS.toFixed(1)]
  const count = r.truncated ? `${int(r.count)} of ${int(r.planned)}` : int(r.count)
  const latency = [ms(r.p50), ms(r.p99), ms(r.max)]
  return [r.name, count, int(r.failures), r.rps.toFixed(1), ...latency, r.wallS.toFixed(1)]
}

/** The line printed when a phase ends. */
export const progressLine = (r) =>
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

function agentRow(r) {
  if (r.skipped) return [r.name, 'skipped (deadline)', ...blank(11)]
  const linked =
    r.linked === r.expectedLinked
      ? int(r.linked)
      : `${int(r.linked)} (expected ${int(r.expectedLinked)})`
  const times = (t) => [ms(t.p50), ms(t.p99), ms(t.max)]
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

function historyLine(h) {
  if (!h || h.skipped) return 'history growth: skipped (deadline)'
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

const ratio = (a, b) => (a && b ? a / b : undefined)

/** The comparisons the bench exists for, each within this one run. */
export function ratios(p, labels) {
  const { lookup10k: l10, lookup100k: l100, health, health2, consoleUsers, consoleSearch } = p
  const { users, big } = labels
  return {
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

const SYNC_FIGURES = [
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
function syncCell(r, figure) {
  if (r === undefined) return ''
  if (r.skipped) return `skipped (${r.reason ?? 'deadline'})`
  if (r.metrics === undefined) return 'error'
  return figure(r)
}

/** The two syncs side by side: metrics, then the run's counts, unsupported groups, errors. */
function syncTable(setup, first, again) {
  const counts = Object.keys(first?.counts ?? again?.counts ?? {})
  const figures = [
    ...SYNC_FIGURES,
    ...counts.map((k) => [`counts.${k}`, (r) => int(r.counts[k])]),
    ['unsupported groups', (r) => int(r.run.unsupportedGroups.length)],
    ['run errors', (r) => int(r.run.errors.length)],
  ]
  const rows = figures.map(([label, f]) => [label, syncCell(first, f), syncCell(again, f)])
  const { users, groups } = setup?.entra ?? {}
  const size = users === undefined ? '' : `${int(users)} users, ${int(groups)} groups`
  return markdownTable([`pull sync ${size}`, 'first sync', 'no-change sync'], rows)
}

function syncSection({ syncSetup: setup, syncFirst: first, syncNoChange: again }) {
  const lines = [syncTable(setup, first, again)]
  if (setup?.agents !== undefined) {
    lines.push(
      `(agents reported for ${int(setup.agents)} of ${int(setup.entra.users)} Entra users, by` +
        ` UPN, before the first sync; LONGEST STEP = the worst single alarm step, wall time)`
    )
  }
  const longest = [
    ['first sync', first],
    ['no-change sync', again],
  ]
    .filter(([, r]) => r?.metrics !== undefined)
    .map(([label, r]) => `${label} ${int(r.metrics.longestStepMs)} ms`)
  if (longest.length > 0) lines.push(`>>> LONGEST STEP: ${longest.join(', ')} <<<`)
  const warnings = [first, again].flatMap((r) => r?.warnings ?? [])
  return [...lines, ...warnings.map((w) => `WARNING: ${w}`)].join('\n')
}

/** Two decimals are plenty in results.json. */
const rounded = (_, v) =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v

/** Prints the summary tables and writes results.json. */
export function report({ meta, phases, labels }) {
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
