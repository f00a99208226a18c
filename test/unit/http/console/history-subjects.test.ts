/**
 * What a history entry is about and who made it, named from a page's name maps: links only where
 * the console has a page and the thing still exists.
 */
import { describe, it } from 'vitest'
import {
  actorOf,
  subjectOf,
  valueNames,
  type HistoryNames,
} from '../../../../src/http/console/history-subjects'

const NAMES: HistoryNames = {
  users: new Map([['u1', 'ada@contoso.com']]),
  groups: new Map([
    ['g1', 'Sales'],
    ['a/b', 'Odd'],
  ]),
  agents: new Map([['pc-1', 'CONTOSO\\ada']]),
  instances: new Map([['i1', 'Entra production']]),
  keys: new Map([
    ['k1', { name: 'entra', instanceId: 'i1' }],
    ['k2', { name: 'tenant key', instanceId: null }],
  ]),
  roles: new Map([['r1', 'Content Creator']]),
  admins: new Map([['a1', 'olivia@contoso.com']]),
}

const row = (over: Partial<Parameters<typeof subjectOf>[0]>) => ({
  resourceType: 'User',
  resourceId: 'u1',
  userId: null,
  actor: 'scim' as const,
  actorId: null,
  actorName: null,
  instanceId: null,
  keyId: null,
  ...over,
})

describe('History subjects and actors', () => {
  it.for([
    [
      'a user',
      row({ userId: 'u1' }),
      [{ kind: 'User', id: 'u1', label: 'ada@contoso.com', href: '/console/users/u1' }],
    ],
    [
      'a deleted user',
      row({ resourceId: 'u9', userId: 'u9' }),
      [{ kind: 'User', id: 'u9', label: 'User u9 (no longer here)' }],
    ],
    [
      'a membership',
      row({ resourceType: 'Group', resourceId: 'g1', userId: 'u1' }),
      [
        { kind: 'Group', id: 'g1', label: 'Sales', href: '/console/groups/g1' },
        { kind: 'User', id: 'u1', label: 'ada@contoso.com', href: '/console/users/u1' },
      ],
    ],
    [
      'an agent and its user',
      row({ resourceType: 'Agent', resourceId: 'pc-1', userId: 'u1' }),
      [
        { kind: 'User agent', id: 'pc-1', label: 'CONTOSO\\ada' },
        { kind: 'User', id: 'u1', label: 'ada@contoso.com', href: '/console/users/u1' },
      ],
    ],
    [
      "a key, linked to its instance's page",
      row({ resourceType: 'Key', resourceId: 'k1' }),
      [{ kind: 'API key', id: 'k1', label: 'entra', href: '/console/integrations/i1' }],
    ],
    [
      'a tenant-level key',
      row({ resourceType: 'Key', resourceId: 'k2' }),
      [{ kind: 'API key', id: 'k2', label: 'tenant key' }],
    ],
    [
      'a deleted instance',
      row({ resourceType: 'Instance', resourceId: 'i9' }),
      [{ kind: 'Integration', id: 'i9', label: 'Integration i9 (no longer here)' }],
    ],
    [
      'the organization',
      row({ resourceType: 'Tenant', resourceId: 'us_1' }),
      [{ kind: 'Organization', id: 'us_1', label: 'Organization' }],
    ],
    [
      'an id that needs escaping in a path',
      row({ resourceType: 'Group', resourceId: 'a/b', userId: null }),
      [{ kind: 'Group', id: 'a/b', label: 'Odd', href: '/console/groups/a%2Fb' }],
    ],
  ] as const)('Should name %s', ([, r, parts], { expect }) => {
    expect(subjectOf(r, NAMES)).toEqual(parts)
  })

  it.for([
    [
      'SCIM',
      row({ keyId: 'k1', instanceId: 'i1' }),
      'Identity provider (SCIM)',
      'key "entra" · Entra production',
    ],
    ['the sync', row({ actor: 'sync', instanceId: 'i1' }), 'Directory sync', 'Entra production'],
    [
      'an admin',
      row({ actor: 'admin', actorId: 'a1', actorName: 'was@contoso.com' }),
      'Console admin',
      'was@contoso.com',
    ],
    [
      'an admin without a name',
      row({ actor: 'admin', actorId: 'a1' }),
      'Console admin',
      'olivia@contoso.com',
    ],
    ['the operator', row({ actor: 'operator' }), 'Operator', ''],
    ['the system', row({ actor: 'system' }), 'System', ''],
    ['a revoked key', row({ actor: 'agent', keyId: 'k9' }), 'Agent API', 'key "k9"'],
  ] as const)('Should say who acted: %s', ([, r, kind, detail], { expect }) => {
    expect(actorOf(r, NAMES)).toEqual({ kind, detail })
  })

  it('Should name ids that changes record, group roles included', ({ expect }) => {
    const name = valueNames(NAMES)
    expect(['u1', 'g1', 'group:g1', 'r1', 'pc-1', 'nope'].map(name)).toEqual([
      'ada@contoso.com',
      'Sales',
      'Sales',
      'Content Creator',
      'CONTOSO\\ada',
      undefined,
    ])
  })
})
