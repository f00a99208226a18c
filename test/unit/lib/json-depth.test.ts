import { describe, it } from 'vitest'
import { MAX_JSON_DEPTH, deepestNestingAt } from '../../../src/lib/json-depth'

const nested = (levels: number, open = '[', close = ']') =>
  `${open.repeat(levels)}${close.repeat(levels)}`

describe('deepestNestingAt', () => {
  it.for<[string, string, number, number | undefined]>([
    ['a flat object', '{"a":1,"b":[1,2]}', 2, undefined],
    ['exactly the limit', nested(3), 3, undefined],
    ['one array level too many', nested(4), 3, 3],
    ['objects too deep', '{"a":{"b":{"c":{}}}}', 3, 15],
    ['siblings that never nest deep', '[[1],[2],[3],[4]]', 2, undefined],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, undefined],
    ['an escaped quote inside a string', '{"a":"\\"[[[[","b":[]}', 2, undefined],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[[]]]}', 2, 15],
    ['a scalar', '"just text"', 0, undefined],
    ['an empty text', '', 0, undefined],
  ])('Should judge %s', ([, text, max, expected], { expect }) => {
    expect(deepestNestingAt(text, max)).toBe(expected)
  })

  it('Should stop at the first level over the limit of a ten-thousand-level body', ({ expect }) => {
    expect(deepestNestingAt(nested(10_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH)
    expect(deepestNestingAt(nested(10_000, '{"a":', '}'), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH * 5)
  })

  it('Should accept the deepest legitimate SCIM body: a PATCH of an extension sub-attribute', ({
    expect,
  }) => {
    const body = JSON.stringify({
      Operations: [
        {
          op: 'add',
          value: {
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
              manager: { value: 'x' },
            },
          },
        },
      ],
    })
    expect(deepestNestingAt(body, 6)).toBeUndefined()
    expect(deepestNestingAt(body, 5)).toBeDefined()
  })
})
