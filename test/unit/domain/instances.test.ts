/**
 * The rules every caller (admin API, customer console) validates instances with, the diff of a
 * pull instance's settings that the history records, and the consent mode's rules: no
 * credentials of the customer's, a directory only once consent is given, and the operator's
 * application read from the Worker settings.
 */
import { operatorApp } from '../../../src/config'
import { describe, it } from 'vitest'
import {
  awaitsConsent,
  consentDirectorySchema,
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
      auth: 'app',
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

describe('consent mode', () => {
  const consent = { name: 'Entra', kind: 'entra-pull', auth: 'consent', groupsParent: 'G' }

  it('Should take a consent instance with its groups only, and refuse credentials', ({
    expect,
  }) => {
    expect(instanceSpecSchema.safeParse(consent).success).toBe(true)
    for (const field of ['directoryId', 'clientId', 'clientSecret'])
      expect(firstIssue(instanceSpecSchema.safeParse({ ...consent, [field]: GUID }))).toBe(field)
    expect(firstIssue(instanceSpecSchema.safeParse({ ...consent, groupsParent: ' ' }))).toBe(
      'groupsParent'
    )
    expect(firstIssue(instanceSpecSchema.safeParse({ ...pull, auth: 'token' }))).toBe('auth')
    expect(instanceSpecSchema.safeParse({ ...pull, auth: 'app' }).success).toBe(true)
  })

  it('Should start without a directory and keep its mode on every patch', ({ expect }) => {
    const created = mergePullSettings({ auth: 'consent', groupsParent: 'G' }, undefined)
    expect(created).toMatchObject({ auth: 'consent', directoryId: null, clientId: null })
    expect(awaitsConsent(created)).toBe(true)
    const connected: PullSettings = { ...created, directoryId: GUID }
    expect(awaitsConsent(connected)).toBe(false)
    const patched = mergePullSettings({ auth: 'app', intervalHours: 2 }, connected)
    expect(patched).toEqual({ ...connected, intervalHours: 2 })
    const own = mergePullSettings(
      { directoryId: GUID, clientId: GUID, groupsParent: 'G' },
      undefined
    )
    expect(awaitsConsent(own)).toBe(false)
  })

  it.for([
    [GUID, true],
    [GUID.toUpperCase(), true],
    ['contoso.com', false],
    ['organizations', false],
    ['', false],
    [`${GUID}x`, false],
  ] as const)('Should take %j as a consenting directory: %s', ([value, ok], { expect }) => {
    expect(consentDirectorySchema.safeParse(value).success).toBe(ok)
  })

  it('Should read the operator app from the settings and name the first one missing', ({
    expect,
  }) => {
    expect(operatorApp({ ENTRA_APP_CLIENT_ID: GUID, ENTRA_APP_CLIENT_SECRET: 's' })).toEqual({
      clientId: GUID,
      clientSecret: 's',
    })
    expect(operatorApp({ ENTRA_APP_CLIENT_SECRET: 's' })).toEqual({
      missing: 'ENTRA_APP_CLIENT_ID',
    })
    expect(operatorApp({ ENTRA_APP_CLIENT_ID: ` ${GUID} ` })).toEqual({
      missing: 'ENTRA_APP_CLIENT_SECRET',
    })
    expect(operatorApp({ ENTRA_APP_CLIENT_ID: '', ENTRA_APP_CLIENT_SECRET: '' })).toEqual({
      missing: 'ENTRA_APP_CLIENT_ID',
    })
  })
})
