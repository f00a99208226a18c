/**
 * The run report's bounded parts: users out of scope are all counted, but only a few named.
 */
import { describe, it } from 'vitest'
import { addOutOfScope, newRun, OUT_OF_SCOPE_SAMPLE } from '../../../src/sync/report'

const refs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    entraId: `e${String(from + i)}`,
    userName: `u${String(from + i)}`,
  }))

describe('addOutOfScope', () => {
  it('Should count every user but name only the first few, across chunks', ({ expect }) => {
    const run = newRun('r', 'i', 'manual', '2031-01-01T00:00:00.000Z')
    addOutOfScope(run, refs(0, 15))
    addOutOfScope(run, [])
    addOutOfScope(run, refs(15, 15))
    expect(run.usersOutOfScope.count).toBe(30)
    expect(run.usersOutOfScope.sample).toEqual(refs(0, OUT_OF_SCOPE_SAMPLE))
  })
})
