import { describe, it } from 'vitest'
import {
  planMerge,
  survivorMoved,
  type MergeCandidate,
  type MergeRequest,
} from '../../../src/directory/merging'

const agent = (id: string, over: Partial<MergeCandidate> = {}): MergeCandidate => ({
  id,
  userId: 'u1',
  state: 'active',
  mergedInto: null,
  mergeId: null,
  hasMergedAgents: false,
  ...over,
})

const found = [
  agent('a'),
  agent('b'),
  agent('c'),
  agent('other', { userId: 'u2' }),
  agent('stray', { userId: null }),
  agent('gone', { userId: null, state: 'removed' }),
  agent('folded', { state: 'merged', mergedInto: 'a', mergeId: 'm1' }),
  agent('survivor', { hasMergedAgents: true }),
]

describe('planMerge', () => {
  it.for([
    ['two agents', { into: 'a', agentIds: ['b'] }, ['b']],
    ['into repeated in the list', { into: 'a', agentIds: ['a', 'b', 'c', 'b'] }, ['b', 'c']],
    ['into a survivor', { into: 'survivor', agentIds: ['a'] }, ['a']],
    ['the user named', { into: 'a', agentIds: ['b'], userId: 'u1' }, ['b']],
  ] as const)('Should plan a merge of %s', ([, request, absorbed], { expect }) => {
    expect(planMerge(request, found)).toEqual({ userId: 'u1', into: request.into, absorbed })
  })

  it.for([
    ['one agent', { into: 'a', agentIds: ['a'] }, 400, 'at least two'],
    ['unknown agents', { into: 'a', agentIds: ['x', 'y'] }, 404, 'not found: "x", "y"'],
    ['a removed agent', { into: 'a', agentIds: ['gone'] }, 409, '"gone" were removed'],
    ['a merged agent', { into: 'folded', agentIds: ['b'] }, 409, 'already merged into "a"'],
    ['an unlinked agent', { into: 'a', agentIds: ['stray'] }, 409, '"stray" are not linked'],
    ['another user', { into: 'a', agentIds: ['b'], userId: 'u2' }, 409, 'user "u2"'],
    ['different users', { into: 'a', agentIds: ['other'] }, 409, '"other" → "u2"'],
    ['absorbing a survivor', { into: 'a', agentIds: ['survivor'] }, 409, '"survivor" already'],
  ] as const)(
    'Should refuse %s',
    ([, request, status, message]: readonly [string, MergeRequest, number, string], { expect }) => {
      expect(planMerge(request, found)).toEqual({
        status,
        message: expect.stringContaining(message) as unknown,
      })
    }
  )
})

describe('survivorMoved', () => {
  it.for([
    ['u1', 'u1', false],
    ['u1', 'u2', true],
    ['u1', null, true],
    [null, 'u1', false],
  ] as const)('Should say %s → %s moves the survivor: %s', ([from, to, moved], { expect }) => {
    expect(survivorMoved(from, to)).toBe(moved)
  })
})
