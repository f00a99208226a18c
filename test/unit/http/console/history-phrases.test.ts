/**
 * A user's history as their page tells it: each op as a phrase naming the groups, agents and
 * roles it involved (other ops as the History page says them), the changed attributes, who
 * acted, and the ids a page must name.
 */
import { describe, it } from 'vitest'
import {
  actorWords,
  changeLines,
  operationWords,
  referencesOf,
  type HistoryFacts,
} from '../../../../src/http/console/history-phrases'
import type { Change } from '../../../../src/http/console/history-words'
import {
  ACTIVTRAK_USER_SCHEMA as ACTIVTRAK,
  ENTERPRISE_USER_SCHEMA as ENTERPRISE,
} from '../../../../src/scim/constants'
import type { HistoryNames } from '../../../../src/storage/repos/history-names'

const names: HistoryNames = {
  group: new Map([
    ['g1', 'Sales'],
    ['g2', 'Admins'],
  ]),
  agent: new Map([
    ['a1', 'CONTOSO\\ada'],
    ['a2', 'CONTOSO\\ada-laptop'],
  ]),
  role: new Map([
    ['r1', 'Content Creator'],
    ['r2', 'Admin'],
  ]),
  instance: new Map([['i1', 'Entra production']]),
  key: new Map([['k1', 'entra']]),
}

const entry = (op: string, changes: Change[] = [], over: Partial<HistoryFacts> = {}) => ({
  op,
  actor: 'scim' as const,
  actorName: null,
  instanceId: null,
  keyId: null,
  resourceId: 'u1',
  changes,
  ...over,
})

describe('History in words', () => {
  it.for<[string, HistoryFacts, string]>([
    ['create', entry('user.create'), 'User created'],
    ['update', entry('user.update'), 'User updated'],
    ['suspend', entry('user.suspend'), 'User suspended'],
    ['restore', entry('user.restore'), 'User reactivated'],
    ['delete', entry('user.delete'), 'User deleted'],
    ['join', entry('membership.add', [], { resourceId: 'g1' }), 'Added to group Sales'],
    ['leave', entry('membership.remove', [], { resourceId: 'g2' }), 'Removed from group Admins'],
    [
      'leave a deleted group',
      entry('membership.remove', [], { resourceId: 'gone' }),
      'Removed from group a deleted group',
    ],
    [
      'link by UPN',
      entry('agent.link', [{ attr: 'linkRule', before: null, after: 'upn' }], { resourceId: 'a1' }),
      'Linked agent CONTOSO\\ada by UPN',
    ],
    [
      'link by email',
      entry('agent.link', [{ attr: 'linkRule', after: 'email' }], { resourceId: 'a1' }),
      'Linked agent CONTOSO\\ada by work email',
    ],
    [
      'link by employeeNumber',
      entry('agent.link', [{ attr: 'linkRule', after: 'employeeNumber' }], { resourceId: 'a2' }),
      'Linked agent CONTOSO\\ada-laptop by employeeNumber',
    ],
    ['unlink', entry('agent.unlink', [], { resourceId: 'a1' }), 'Unlinked agent CONTOSO\\ada'],
    [
      'merge',
      entry('agent.merge', [{ attr: 'mergedInto', before: null, after: 'a1' }], {
        resourceId: 'a2',
      }),
      'Merged agent CONTOSO\\ada-laptop into CONTOSO\\ada',
    ],
    [
      'unmerge',
      entry('agent.unmerge', [{ attr: 'reason', after: 'undo' }], { resourceId: 'a2' }),
      'Agent CONTOSO\\ada-laptop is separate again: an admin undid the merge',
    ],
    [
      'dnt by hand',
      entry('dnt.add', [{ attr: 'source', after: 'operator' }]),
      'Added to Do Not Track (added by hand)',
    ],
    [
      'dnt by tracking',
      entry('dnt.add', [{ attr: 'source', after: 'tracking' }]),
      'Added to Do Not Track (tracking attribute)',
    ],
    ['dnt removed', entry('dnt.remove'), 'Removed from Do Not Track'],
    [
      'role from default to a group role',
      entry('role.change', [{ attr: 'role', before: 'r1', after: 'r2' }]),
      'Role changed from Content Creator to Admin',
    ],
    [
      'role in groups-as-roles',
      entry('role.change', [{ attr: 'role', before: null, after: 'group:g1' }]),
      'Role changed from no role to Sales',
    ],
    [
      'deletion failed',
      entry('deletion.failed', [{ attr: 'reason', after: '1 agent(s) are still linked' }]),
      'Deletion failed: 1 agent(s) are still linked',
    ],
    ['verified', entry('deletion.verified'), 'Deletion verified'],
    ['an op of the future', entry('user.teleport'), 'user.teleport'],
  ])('Should say %s in words', ([, e, words], { expect }) => {
    expect(operationWords(e, names)).toBe(words)
  })

  it('Should list changed attributes with before and after, and counts for lists', ({ expect }) => {
    const e = entry('user.update', [
      { attr: 'displayName', before: 'Ada', after: 'Ada Lovelace' },
      { attr: 'title', after: 'Countess' },
      { attr: 'active', before: true, after: false },
      { attr: 'emails', countBefore: 1, countAfter: 2 },
      { attr: `${ENTERPRISE}:employeeNumber`, before: 'E-1', after: 'E-2' },
      { attr: `${ACTIVTRAK}:userPrincipalNames`, countAfter: 1 },
    ])
    expect(changeLines(e)).toEqual([
      'displayName: Ada → Ada Lovelace',
      'title: Countess',
      'active: true → false',
      'emails: 1 value → 2 values',
      'employeeNumber: E-1 → E-2',
      'userPrincipalNames: — → 1 value',
    ])
  })

  it('Should list no attributes for ops whose words say it all', ({ expect }) => {
    const e = entry('membership.add', [{ attr: 'members', after: 'u1' }], { resourceId: 'g1' })
    expect(changeLines(e)).toEqual([])
  })

  it.for<[string, Partial<HistoryFacts>, string]>([
    [
      'a SCIM key of an instance',
      { instanceId: 'i1', keyId: 'k1' },
      'Identity provider (SCIM) · key "entra" · Entra production',
    ],
    ['a tenant SCIM key', { keyId: 'k1' }, 'Identity provider (SCIM) · key "entra"'],
    [
      'the directory sync',
      { actor: 'sync', instanceId: 'i1' },
      'Directory sync · Entra production',
    ],
    [
      'an admin',
      { actor: 'admin', actorName: 'olivia@contoso.test' },
      'Console admin · olivia@contoso.test',
    ],
    ['the operator', { actor: 'operator' }, 'Operator'],
    ['the system', { actor: 'system' }, 'System'],
  ])('Should name %s as the actor', ([, over, words], { expect }) => {
    expect(actorWords(entry('user.update', [], over), names)).toBe(words)
  })

  it('Should collect the ids a page of entries refers to', ({ expect }) => {
    const refs = referencesOf([
      entry('membership.add', [], { resourceId: 'g1', instanceId: 'i1', keyId: 'k1' }),
      entry('agent.merge', [{ attr: 'mergedInto', after: 'a1' }], { resourceId: 'a2' }),
      entry('role.change', [{ attr: 'role', before: 'r1', after: 'group:g2' }]),
      entry('user.update', [{ attr: 'displayName', after: 'x' }]),
    ])
    expect(refs).toEqual({
      group: ['g1', 'g2'],
      agent: ['a2', 'a1'],
      role: ['r1'],
      instance: ['i1'],
      key: ['k1'],
    })
  })
})
