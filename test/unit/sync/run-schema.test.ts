import { describe, it } from 'vitest'
import { addError, addOutOfScope, enterPhase, newRun } from '../../../src/sync/report'
import { syncRunSchema } from '../../../src/sync/run-schema'

const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/** A run as the code writes it now: past its first phase, with an error and a user out of scope. */
function currentRun() {
  const run = newRun('r1', 'i1', 'retry', '2026-12-01T10:00:00.000Z')
  enterPhase(run, 'apply-users')
  run.parents = { groups: 'g1', dnt: null, delete: 'g3' }
  run.failureKind = 'transient'
  run.retryAt = '2026-12-01T10:05:00.000Z'
  addError(run, { at: run.startedAt, message: 'throttled', requestId: 'req-1', code: undefined })
  addOutOfScope(run, [{ entraId: 'u9', userName: 'nine@contoso.com' }])
  return run
}

describe('syncRunSchema', () => {
  it('Should read a run record as the code writes it now', ({ expect }) => {
    const run = currentRun()
    expect(syncRunSchema.parse(stored(run))).toEqual(stored(run))
  })

  it('Should read a first-release record with the fields added since as empty', ({ expect }) => {
    const { failureKind: _f, retryAt: _r, usersOutOfScope: _u, ...first } = currentRun()
    expect(syncRunSchema.parse(stored({ ...first, trigger: 'schedule' }))).toEqual({
      ...first,
      trigger: 'schedule',
      failureKind: null,
      retryAt: null,
      usersOutOfScope: { count: 0, sample: [] },
    })
  })

  it.for([
    ['an unknown status', { status: 'paused' }, 'status'],
    ['an unknown phase', { phase: 'apply-roles' }, 'phase'],
    ['a count that is not a number', { counts: { entraUsersSeen: '3' } }, 'counts'],
    ['no metrics', { metrics: undefined }, 'metrics'],
    [
      'a sample entry without userName',
      { usersOutOfScope: { count: 1, sample: [{ entraId: 'u' }] } },
      'usersOutOfScope',
    ],
  ] as const)('Should refuse a record with %s', ([, change, field], { expect }) => {
    const result = syncRunSchema.safeParse({ ...currentRun(), ...change })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path[0]).toBe(field)
  })
})
