/**
 * The CSV writer: RFC 4180 quoting, CRLF records, and fields a spreadsheet would run as a
 * formula turned into text.
 */
import { describe, it } from 'vitest'
import { csvField, csvRecord } from '../../../src/lib/csv'

describe('CSV', () => {
  it.for([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ])('Should write %j as %j', ([input, output], { expect }) => {
    expect(csvField(input)).toBe(output)
  })

  it.for([
    ['=HYPERLINK("http://evil.test","click")', `"'=HYPERLINK(""http://evil.test"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['a=1', 'a=1'],
    ["'already", "'already"],
  ])('Should neutralize %j as text: %j', ([input, output], { expect }) => {
    expect(csvField(input)).toBe(output)
  })

  it('Should write empty fields for null and undefined, and numbers and booleans as text', ({
    expect,
  }) => {
    expect(csvRecord([null, undefined, 3, false, 'x'])).toBe(',,3,false,x\r\n')
  })

  it('Should end each record with CRLF and separate fields with commas', ({ expect }) => {
    expect(csvRecord(['time', 'op', 'who, what'])).toBe('time,op,"who, what"\r\n')
  })

  it('Should neutralize a negative number passed as a number too', ({ expect }) => {
    expect(csvField(-1)).toBe("'-1")
  })
})
