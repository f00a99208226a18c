/**
 * Bulk rows as JSON parameters: every row arrives once, in order, and no statement's JSON passes
 * the size D1 accepts per statement, however the rows are sized.
 */
import { describe, it } from 'vitest'
import { insertJsonTexts, jsonChunkCount, jsonChunks } from '../../../src/storage/json-rows'

const row = (i: number, pad: number) =>
  JSON.stringify({ id: `r${String(i)}`, pad: 'x'.repeat(pad) })

describe('JSON chunks of rows', () => {
  it('Should keep every row, in order, in arrays under the statement size', ({ expect }) => {
    const texts = Array.from({ length: 1000 }, (_, i) => row(i, (i * 37) % 900))
    const chunks = jsonChunks(texts)
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(90_000)
    const back = chunks.flatMap((c) => JSON.parse(c) as { id: string }[]).map((r) => r.id)
    expect(back).toEqual(texts.map((_, i) => `r${String(i)}`))
    expect(jsonChunkCount(texts)).toBe(chunks.length)
  })

  it('Should put a row larger than a statement in a chunk of its own', ({ expect }) => {
    const texts = [row(0, 10), row(1, 100_000), row(2, 10)]
    const chunks = jsonChunks(texts).map((c) =>
      (JSON.parse(c) as { id: string }[]).map((r) => r.id)
    )
    expect(chunks).toEqual([['r0'], ['r1'], ['r2']])
  })

  it('Should make no statement of no rows', ({ expect }) => {
    expect(jsonChunks([])).toEqual([])
    expect(jsonChunkCount([])).toBe(0)
    expect(insertJsonTexts('history', ['id'], [])).toEqual([])
  })

  it('Should insert the rows of each chunk with one statement', ({ expect }) => {
    const texts = Array.from({ length: 300 }, (_, i) => row(i, 500))
    const statements = insertJsonTexts('history', ['id'], texts).map((s) => s.toSQL())
    expect(statements).toHaveLength(jsonChunkCount(texts))
    for (const s of statements) {
      expect(s.sql).toMatch(/^INSERT INTO history \(id\) SELECT json_extract\(value, '\$\.id'\)/)
    }
    const ids = statements.flatMap((s) => JSON.parse(String(s.params[0])) as { id: string }[])
    expect(ids).toHaveLength(300)
  })
})
