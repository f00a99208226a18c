import { describe, it } from 'vitest'
import { MAX_START_INDEX, pageWindow, type PagingParams } from '../../../src/scim/paging'
import { catchScimError } from './schemas/catch-scim-error'

const limits = { defaultPageSize: 100, maxPageSize: 1000 }

describe('pageWindow', () => {
  it.for<[string, PagingParams, { startIndex: number; count: number }]>([
    ['nothing given', {}, { startIndex: 1, count: 100 }],
    ['query text', { startIndex: '21', count: '10' }, { startIndex: 21, count: 10 }],
    ['JSON numbers', { startIndex: 21, count: 10 }, { startIndex: 21, count: 10 }],
    [
      'padded text and a plus sign',
      { startIndex: ' +3 ', count: ' 5' },
      { startIndex: 3, count: 5 },
    ],
    ['startIndex 0 (read as 1)', { startIndex: '0' }, { startIndex: 1, count: 100 }],
    ['a negative startIndex (read as 1)', { startIndex: -7 }, { startIndex: 1, count: 100 }],
    [
      'a huge negative startIndex',
      { startIndex: '-99999999999999999999' },
      { startIndex: 1, count: 100 },
    ],
    ['a negative count (read as 0)', { count: '-5' }, { startIndex: 1, count: 0 }],
    ['count 0', { count: 0 }, { startIndex: 1, count: 0 }],
    ['a count above the maximum', { count: 5000 }, { startIndex: 1, count: 1000 }],
    ['a huge count', { count: '99999999999999999999' }, { startIndex: 1, count: 1000 }],
    ['a count of 400 digits', { count: '9'.repeat(400) }, { startIndex: 1, count: 1000 }],
    ['a huge negative count', { count: -1e20 }, { startIndex: 1, count: 0 }],
    [
      'the largest startIndex',
      { startIndex: MAX_START_INDEX },
      { startIndex: MAX_START_INDEX, count: 100 },
    ],
  ])('Should page %s as the RFC says', ([, params, expected], { expect }) => {
    expect(pageWindow(params, limits)).toEqual(expected)
  })

  it.for<[PagingParams, string, string]>([
    [
      { startIndex: '99999999999999999999' },
      'invalidValue',
      'startIndex "99999999999999999999" is too large; the largest accepted is 2147483647',
    ],
    [
      { startIndex: 1e20 },
      'invalidValue',
      'startIndex 100000000000000000000 is too large; the largest accepted is 2147483647',
    ],
    [
      { startIndex: MAX_START_INDEX + 1 },
      'invalidValue',
      'startIndex 2147483648 is too large; the largest accepted is 2147483647',
    ],
    [{ startIndex: 'abc' }, 'invalidValue', 'startIndex must be an integer, not "abc"'],
    [{ startIndex: '' }, 'invalidValue', 'startIndex must be an integer, not ""'],
    [{ startIndex: 1.5 }, 'invalidValue', 'startIndex must be an integer, not 1.5'],
    [{ startIndex: '1e3' }, 'invalidValue', 'startIndex must be an integer, not "1e3"'],
    [{ count: 'ten' }, 'invalidCount', 'count must be an integer, not "ten"'],
    [{ count: 2.5 }, 'invalidCount', 'count must be an integer, not 2.5'],
    [{ count: '0x10' }, 'invalidCount', 'count must be an integer, not "0x10"'],
  ])('Should refuse %o with 400 %s', ([params, scimType, detail], { expect }) => {
    expect(catchScimError(() => pageWindow(params, limits))).toEqual({
      status: 400,
      scimType,
      detail,
    })
  })
})
