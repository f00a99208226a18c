/**
 * The history in words: ops as phrases, the op filter's families, and recorded changes as
 * `attribute: before → after`.
 */
import { describe, it } from 'vitest'
import {
  changeText,
  OP_FAMILIES,
  OP_FILTER_VALUES,
  opWords,
  parseChanges,
} from '../../../../src/http/console/history-words'

const none = () => undefined

describe('History in words', () => {
  it.for([
    ['user.create', 'User created'],
    ['user.suspend', 'User suspended'],
    ['membership.add', 'Added to a group'],
    ['agent.merge', 'User agent merged'],
    ['dnt.remove', 'Removed from Do Not Track'],
    ['deletion.verified', 'Deletion verified'],
    ['admin.signin_failed', 'Admin sign-in refused'],
    ['tenant.roles', 'Role settings changed'],
    ['future.thing', 'future.thing'],
  ])('Should say %s as %j', ([op, words], { expect }) => {
    expect(opWords(op ?? '')).toBe(words)
  })

  it('Should offer each family (ending with a dot) followed by its ops', ({ expect }) => {
    const users = OP_FAMILIES.find((f) => f.value === 'user.')
    expect(users?.label).toBe('Users')
    expect(users?.ops.map((o) => o.value)).toEqual([
      'user.create',
      'user.update',
      'user.suspend',
      'user.restore',
      'user.delete',
    ])
    expect(OP_FILTER_VALUES).toContain('membership.')
    expect(OP_FILTER_VALUES).toContain('key.revoke')
    expect(OP_FILTER_VALUES.every((v) => /^[a-z]+\.[a-z_]*$/.test(v))).toBe(true)
  })

  it.for([
    [{ attr: 'displayName', before: 'Ada', after: 'Ada L.' }, 'displayName: Ada → Ada L.'],
    [{ attr: 'userName', after: 'ada@contoso.com' }, 'userName: ada@contoso.com'],
    [{ attr: 'name', before: 'Sales' }, 'name: Sales → —'],
    [{ attr: 'active', before: true, after: false }, 'active: true → false'],
    [{ attr: 'mergedInto', before: null, after: 'pc-2' }, 'mergedInto: — → pc-2'],
    [{ attr: 'emails', countBefore: 1, countAfter: 2 }, 'emails: 1 value → 2 values'],
    [{ attr: 'emails', countAfter: 1 }, 'emails: — → 1 value'],
  ] as const)('Should write the change %j as %j', ([change, text], { expect }) => {
    expect(changeText(change, none)).toBe(text)
  })

  it('Should name the ids the page knows and leave the others as they are', ({ expect }) => {
    const names = (id: string) => (id === 'r1' ? 'Content Creator' : undefined)
    expect(changeText({ attr: 'role', before: 'r1', after: 'r2' }, names)).toBe(
      'role: Content Creator → r2'
    )
  })

  it.for([
    ['[{"attr":"a","before":1,"after":2}]', [{ attr: 'a', before: 1, after: 2 }]],
    ['[]', []],
    ['not json', []],
    ['{"attr":"a"}', []],
    ['[{"before":1}]', []],
  ] as const)('Should read the recorded changes %s', ([json, changes], { expect }) => {
    expect(parseChanges(json)).toEqual(changes)
  })
})
