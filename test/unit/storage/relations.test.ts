/**
 * A user's groups folded into the user's row: read back by row id, a user in no group shows
 * none, and a list cut at FOLDED_MAX is named, so its owner's groups are read in full.
 */
import { describe, it } from 'vitest'
import { FOLDED_MAX, foldedRelation } from '../../../src/storage/repos/relations'

const row = (id: string, refs: unknown) => ({ id, relation_json: JSON.stringify(refs) })

describe('foldedRelation', () => {
  it('Should read each row’s references in order, with a missing display as null', ({ expect }) => {
    const { relation, cut } = foldedRelation([
      row('u1', [
        ['g1', 'Sales'],
        ['g2', null],
      ]),
      row('u2', []),
    ])
    expect([...relation]).toEqual([
      [
        'u1',
        [
          { value: 'g1', display: 'Sales' },
          { value: 'g2', display: null },
        ],
      ],
    ])
    expect(cut).toEqual([])
  })

  it('Should name the rows whose list was cut, and keep none of their references', ({ expect }) => {
    const many = Array.from({ length: FOLDED_MAX + 1 }, (_, i) => [`g${String(i)}`, null])
    const { relation, cut } = foldedRelation([row('big', many), row('small', [['g1', 'A']])])
    expect(cut).toEqual(['big'])
    expect([...relation.keys()]).toEqual(['small'])
  })
})
