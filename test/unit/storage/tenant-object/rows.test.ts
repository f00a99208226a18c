import { describe, it } from 'vitest'
import { z } from 'zod'
import {
  jsonColumn,
  parseStoredRows,
  StoredRowError,
} from '../../../../src/storage/tenant-object/rows'

const schema = z.object({
  id: z.string(),
  data: jsonColumn(z.object({ name: z.string() })),
})

describe('parseStoredRows', () => {
  it('Should answer the rows parsed, JSON columns included', ({ expect }) => {
    const rows = [
      { id: 'a', data: '{"name":"Ann","extra":1}' },
      { id: 'b', data: '{"name":"Bo"}' },
    ]
    expect(parseStoredRows('t', schema, ['id'], rows)).toEqual([
      { id: 'a', data: { name: 'Ann' } },
      { id: 'b', data: { name: 'Bo' } },
    ])
  })

  it.for([
    ['a JSON column that is not JSON', { id: 'b', data: '{name' }, 'not valid JSON → at data'],
    ['a JSON column of another shape', { id: 'b', data: '{"name":7}' }, 'at data.name'],
    ['a column of another type', { id: 'b', data: null }, 'at data'],
  ] as const)('Should name the table and key of %s', ([, row, where], { expect }) => {
    const rows = [{ id: 'a', data: '{"name":"Ann"}' }, row]
    let error: unknown
    try {
      parseStoredRows('stage_users', schema, ['id', 'data'], rows)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StoredRowError)
    const message = error instanceof Error ? error.message : ''
    expect(message).toMatch(
      new RegExp(`^The tenant object's stage_users row id="b" data=\\S+ cannot be read: ✖ `)
    )
    expect(message).toContain(where)
    expect(message).not.toContain('\n')
  })
})
