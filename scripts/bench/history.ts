/**
 * History growth: the tenant's history rows counted before and after exactly 1,000 SCIM writes
 * (500 PATCH Replace of displayName on users, 300 group member Adds of one member each, 200
 * POSTs of new users), reported as rows added per 1,000 writes.
 */
import { CONCURRENCY, SIZES } from './config.ts'
import { historyCounts } from './db.ts'
import type { Call } from './http.ts'
import { runPhase, type PhaseResult } from './measure.ts'
import { PATCH_OP, addMembers, memberBlockStart, userBody, type Ids } from './provision.ts'

/** Of every 10 writes: 5 renames, 3 member adds, 2 creates; 100 rounds make the 1,000. */
type WriteKind = 'rename' | 'add' | 'create'
const PATTERN: WriteKind[] = [
  'rename',
  'add',
  'rename',
  'create',
  'rename',
  'add',
  'rename',
  'create',
  'rename',
  'add',
]
const WRITES = 1000

/** The writes in order, each with its rank among writes of its kind. */
function writePlan(): { kind: WriteKind; n: number }[] {
  const seen = { rename: 0, add: 0, create: 0 }
  return Array.from({ length: WRITES }, (_, k) => {
    const kind = PATTERN[k % PATTERN.length] ?? 'rename'
    return { kind, n: seen[kind]++ }
  })
}

/**
 * A member add puts into group n mod GROUPS a user of the next block, which is never already a
 * member (each group owns one block), so every add is a real change and writes history.
 */
function addTarget(
  n: number,
  ids: Ids,
  groupIds: Ids
): { groupId: string | undefined; userId: string | undefined } {
  const g = n % SIZES.groups
  const round = Math.floor(n / SIZES.groups)
  const user = (memberBlockStart(g) + SIZES.membersPerGroup + round) % SIZES.users
  return { groupId: groupIds[g], userId: ids[user] }
}

function writeTask(
  scim: Call,
  plan: { kind: WriteKind; n: number }[],
  ids: Ids,
  groupIds: Ids
): (k: number) => Promise<void> {
  return async (k) => {
    const { kind, n } = plan[k] ?? { kind: 'create', n: k }
    if (kind === 'rename') {
      const id = ids[n % SIZES.users]
      if (id === undefined) throw new Error(`user ${n % SIZES.users} was not created`)
      // A new value each time: a write that changes nothing records no history.
      const op = { op: 'Replace', path: 'displayName', value: `Bench User ${n} (renamed)` }
      await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [op] }, 200)
    } else if (kind === 'add') {
      const { groupId, userId } = addTarget(n, ids, groupIds)
      if (groupId === undefined || userId === undefined) {
        throw new Error(`group or user of member add ${n} was not created`)
      }
      await addMembers(scim, groupId, [userId])
    } else {
      await scim('POST', '/Users', userBody(`bench.new${n}@contoso.com`, `new${n}`), 201)
    }
  }
}

/** Runs the 1,000 writes between two history counts; returns the phase and the growth. */
/** The history phase: the writes, and how many history rows they added. */
export interface HistoryGrowth extends PhaseResult {
  writes: number
  succeeded: number
  historyBefore: number
  historyAfter: number
  rowsAdded: number
  rowsPer1000Writes: number
  addedByOp: Record<string, number>
}

export async function historyGrowth(
  scim: Call,
  tenantId: string,
  ids: Ids,
  groupIds: Ids
): Promise<HistoryGrowth> {
  const plan = writePlan()
  const before = historyCounts(tenantId)
  const task = writeTask(scim, plan, ids, groupIds)
  const name = 'history: 1,000 SCIM writes'
  const phase = await runPhase({ name, count: plan.length, concurrency: CONCURRENCY, task })
  const after = historyCounts(tenantId)
  const ok = phase.count - phase.failures
  const added = after.total - before.total
  const delta = Object.entries(after.byOp).map(([op, v]): [string, number] => [
    op,
    v - (before.byOp[op] ?? 0),
  ])
  const addedByOp = Object.fromEntries(delta.filter(([, v]) => v !== 0))
  return {
    ...phase,
    writes: plan.length,
    succeeded: ok,
    historyBefore: before.total,
    historyAfter: after.total,
    rowsAdded: added,
    rowsPer1000Writes: ok > 0 ? (added / ok) * 1000 : 0,
    addedByOp,
  }
}
