import { describe, it } from 'vitest'
import { parseFilter } from '../../../../src/scim/filter/parser'
import { catchScimError } from '../schemas/catch-scim-error'

const OPERATORS = '(eq, ne, co, sw, ew, gt, ge, lt, le, pr)'
const VALUE = 'a value (a "string", number, true, false or null)'

const invalidFilter = (detail: string) => ({ status: 400, scimType: 'invalidFilter', detail })

describe('parseFilter errors', () => {
  it.for<[string, string, string]>([
    ['an empty filter', '', 'at position 0: the filter is empty'],
    ['a blank filter', ' \t ', 'at position 0: the filter is empty'],
    [
      'an unterminated string',
      'userName eq "abc',
      'at position 12: unterminated string: a closing double quote (") is missing',
    ],
    [
      'a string ending in a backslash',
      'userName eq "abc\\',
      'at position 16: unterminated string: it ends with a backslash (\\)',
    ],
    [
      'an unknown escape',
      'a eq "\\x"',
      'at position 6: invalid escape "\\x" in a string; use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX',
    ],
    [
      'a short \\u escape',
      'a eq "\\u12"',
      'at position 6: invalid escape in a string: \\u must be followed by 4 hex digits',
    ],
    [
      'a missing operand',
      'userName eq',
      `at position 11: expected ${VALUE} after "userName eq", found the end of the filter`,
    ],
    [
      'a keyword as operand',
      'userName eq and b pr',
      `at position 12: expected ${VALUE} after "userName eq", found "and"`,
    ],
    [
      'a missing operand before ")"',
      '(userName eq)',
      `at position 12: expected ${VALUE} after "userName eq", found ")"`,
    ],
    [
      'an unknown operator',
      'userName xx "a"',
      `at position 9: expected a comparison operator ${OPERATORS} after "userName", found "xx"`,
    ],
    [
      'a symbol operator',
      'userName = "a"',
      `at position 9: expected a comparison operator ${OPERATORS} after "userName", found "="`,
    ],
    [
      'a path alone',
      'userName',
      `at position 8: expected a comparison operator ${OPERATORS} after "userName", found the end of the filter`,
    ],
    [
      'pr with a string',
      'title pr "x"',
      'at position 9: "pr" (present) takes no value, found the string "x"',
    ],
    [
      'pr with a bare word',
      'title pr x',
      'at position 9: "pr" (present) takes no value, found "x"',
    ],
    [
      'an unclosed "("',
      '(a pr',
      'at position 5: expected and, or or ")" to close the "(" at position 0, found the end of the filter',
    ],
    [
      'an inner unclosed "("',
      '((a pr)',
      'at position 7: expected and, or or ")" to close the "(" at position 0, found the end of the filter',
    ],
    ['an extra ")"', 'a pr)', 'at position 4: unexpected ")" without a matching "("'],
    [
      'empty parentheses',
      '()',
      'at position 1: expected an attribute path, "(" or "not", found ")"',
    ],
    [
      'an unclosed "["',
      'emails[type pr',
      'at position 14: expected and, or or "]" to close the "[" at position 6, found the end of the filter',
    ],
    [
      '")" closing a "["',
      'emails[type pr)',
      'at position 14: expected and, or or "]" to close the "[" at position 6, found ")"',
    ],
    ['an extra "]"', 'a pr ]', 'at position 5: unexpected "]" without a matching "["'],
    [
      'nested brackets',
      'emails[type[x eq 1] eq 2]',
      'at position 11: nested brackets are not allowed inside a value filter, found "["',
    ],
    [
      'nested brackets in parentheses',
      'x[(y[z pr])]',
      'at position 4: nested brackets are not allowed inside a value filter, found "["',
    ],
    [
      'a leading "["',
      '[a pr]',
      'at position 0: expected an attribute path, "(" or "not", found "["',
    ],
    [
      'trailing tokens',
      'a eq "x" b',
      'at position 9: expected and, or or the end of the filter, found "b"',
    ],
    [
      'a trailing string',
      'a eq "x" "y"',
      'at position 9: expected and, or or the end of the filter, found the string "y"',
    ],
    [
      'two expressions without and/or',
      'a pr b pr',
      'at position 5: "pr" (present) takes no value, found "b"',
    ],
    [
      'a dangling and',
      'a pr and',
      'at position 8: expected an attribute path, "(" or "not", found the end of the filter',
    ],
    [
      'a leading and',
      'and a pr',
      'at position 0: expected an attribute path, "(" or "not", found "and"',
    ],
    ['not without parentheses', 'not a pr', 'at position 4: expected "(" after "not", found "a"'],
    [
      'a string as attribute',
      '"a" eq 1',
      'at position 0: expected an attribute path, "(" or "not", found the string "a"',
    ],
    [
      'a name starting with a digit',
      '1a eq 1',
      'at position 0: "1a" is not a valid attribute name: it must start with a letter and contain only letters, digits, "-" and "_"',
    ],
    [
      'a name with a symbol',
      'a@b eq 1',
      'at position 0: "a@b" is not a valid attribute name: it must start with a letter and contain only letters, digits, "-" and "_"',
    ],
    [
      'two sub-attribute levels',
      'a.b.c eq 1',
      'at position 0: "a.b.c" is nested too deep: at most one sub-attribute level (name.sub) is allowed',
    ],
    [
      '$ref as top-level name',
      '$ref eq 1',
      'at position 0: "$ref" can only name a sub-attribute, as in "members.$ref"',
    ],
    [
      'a non-URN schema prefix',
      'foo:bar eq 1',
      'at position 0: "foo:bar" is not an attribute path: a schema prefix must be a URN such as "urn:ietf:params:scim:schemas:core:2.0:User:"',
    ],
    [
      'a bare schema URN',
      'urn:ietf:params:scim:schemas:core:2.0:User eq 1',
      'at position 42: expected ":" and an attribute name after the schema URN "urn:ietf:params:scim:schemas:core:2.0:User"',
    ],
    [
      'a URN ending in ":"',
      'urn:ietf:params:scim:schemas:core:2.0:User: pr',
      'at position 43: expected an attribute name after "urn:ietf:params:scim:schemas:core:2.0:User:"',
    ],
    [
      'a value path sub-attribute without operator',
      'emails[type eq "work"].value',
      `at position 28: expected a comparison operator ${OPERATORS} after "emails[…].value", found the end of the filter`,
    ],
    [
      'an operator right after "]"',
      'emails[type eq "work"] eq "x"',
      'at position 23: expected "." and a sub-attribute between "]" and "eq" (e.g. "emails[…].value eq"), found "eq"',
    ],
    ['a number out of range', 'a eq 1e400', 'at position 5: the number "1e400" is out of range'],
  ])('Should reject %s', ([, text, detail], { expect }) => {
    expect(catchScimError(() => parseFilter(text))).toEqual(
      invalidFilter(`Invalid filter ${detail}`)
    )
  })

  it('Should cut long input in a detail', ({ expect }) => {
    const word = 'x'.repeat(500)
    const { detail } = catchScimError(() => parseFilter(`a eq 1 ${word}`))
    expect(detail).toBe(
      `Invalid filter at position 7: expected and, or or the end of the filter, found "${'x'.repeat(120)}…"`
    )
  })
})
