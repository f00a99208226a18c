/**
 * The rules every caller (admin API, customer console) validates instances with, and the diff
 * of a pull instance's settings that the history records.
 */
import { describe, it } from 'vitest'
import {
  instancePatchSchema,
  instanceSpecSchema,
  mergePullSettings,
  pullSettingsChanges,
  type PullSettings,
} from '../../../src/domain/instances'

const GUID = '22222222-2222-4222-8222-222222222222'
const pull = {
  name: 'Entra pull',
  kind: 'entra-pull',
  directoryId: GUID,
  clientId: GUID,
  clientSecret: 's',
  groupsParent: 'ActivTrak Groups',
}

const firstIssue = (result: { success: boolean; error?: { issues: { path: unknown[] }[] } }) =>
  result.error?.issues[0]?.path.join('.')

describe('instanceSpecSchema', () => {
  it.for([
    [{ directoryId: 'contoso.com' }, true],
    [{ directoryId: 'contoso.onmicrosoft.com' }, true],
    [{ directoryId: GUID.toUpperCase() }, true],
    [{ directoryId: '../../evil' }, false],
    [{ directoryId: 'localhost' }, false],
    [{ clientId: 'my app' }, false],
    [{ intervalHours: 0 }, false],
    [{ intervalHours: 169 }, false],
    [{ intervalHours: 1.5 }, false],
    [{ groupsParent: '   ' }, false],
    [{ dntParent: null }, true],
    [{ deleteParent: 'x'.repeat(257) }, false],
  ] as const)('Should judge %o valid: %s', ([fields, valid], { expect }) => {
    expect(instanceSpecSchema.safeParse({ ...pull, ...fields }).success).toBe(valid)
  })

  it('Should name the offending field', ({ expect }) => {
    expect(firstIssue(instanceSpecSchema.safeParse({ ...pull, clientId: 'x' }))).toBe('clientId')
    expect(firstIssue(instanceSpecSchema.safeParse({ name: 'X', kind: 'ldap' }))).toBe('kind')
  })

  it('Should trim names and take a SCIM kind without pull settings', ({ expect }) => {
    expect(instanceSpecSchema.parse({ name: '  Okta  ', kind: 'okta-scim' })).toEqual({
      name: 'Okta',
      kind: 'okta-scim',
    })
    expect(instancePatchSchema.safeParse({ name: '' }).success).toBe(false)
    expect(instancePatchSchema.parse({})).toEqual({})
  })
})

describe('pull settings', () => {
  const base: PullSettings = mergePullSettings(
    { directoryId: GUID, clientId: GUID, groupsParent: 'G' },
    undefined
  )

  it('Should fill defaults for a new instance and keep unnamed settings on a patch', ({
    expect,
  }) => {
    expect(base).toEqual({
      directoryId: GUID,
      clientId: GUID,
      groupsParent: 'G',
      dntParent: null,
      deleteParent: null,
      intervalHours: 24,
      syncAttributes: false,
    })
    const next = mergePullSettings({ dntParent: 'DNT', intervalHours: 6 }, base)
    expect(next).toEqual({ ...base, dntParent: 'DNT', intervalHours: 6 })
    expect(mergePullSettings({ dntParent: null }, next).dntParent).toBeNull()
  })

  it('Should list only the settings that changed, with before and after', ({ expect }) => {
    const next = { ...base, groupsParent: 'H', syncAttributes: true }
    expect(pullSettingsChanges(base, next)).toEqual([
      { attr: 'groupsParent', before: 'G', after: 'H' },
      { attr: 'syncAttributes', before: false, after: true },
    ])
    expect(pullSettingsChanges(base, { ...base })).toEqual([])
    expect(pullSettingsChanges(undefined, base).map((c) => c.attr)).toEqual([
      'directoryId',
      'clientId',
      'groupsParent',
      'dntParent',
      'deleteParent',
      'intervalHours',
      'syncAttributes',
    ])
  })
})
