/**
 * Names that come from Microsoft Graph reach the console as text: a group or a user whose name
 * carries HTML or script (anyone who can rename a group in Entra ID can choose it) is shown
 * escaped on every page that shows it, after a pull sync brings it in.
 */
import { describe, it } from 'vitest'
import { signedIn } from '../support/console'
import { GROUP_ID, USER_ID, mutate, pullTenant, syncNow } from '../support/graph'

const GROUP_NAME = '<img src=x onerror=alert(1)>Sales'
const USER_NAME = '<script>alert(2)</script>Adele'
const M365_NAME = '<b onmouseover=alert(3)>Marketing</b>'

describe('Names from Microsoft Graph in the console', () => {
  it('Should show groups and users named with HTML by Entra ID as text', async ({ expect }) => {
    const { tenant, directory, instanceId } = await pullTenant({ syncAttributes: true })
    await mutate(directory, [
      { op: 'renameGroup', groupId: GROUP_ID(2), displayName: GROUP_NAME },
      { op: 'renameGroup', groupId: GROUP_ID(7), displayName: M365_NAME },
      { op: 'updateUser', userId: USER_ID(1), changes: { displayName: USER_NAME } },
    ])
    expect((await syncNow(tenant.id, instanceId)).status).toBe('succeeded')
    const b = await signedIn(tenant.id, { email: 'graph-names@acme.test' })
    const pages = await Promise.all(
      [
        '/console/groups',
        '/console/users',
        '/console/history',
        `/console/integrations/${instanceId}`,
      ].map(async (path) => (await b.get(path)).text())
    )
    const all = pages.join('\n')
    expect(pages[0]).toContain('&lt;img src=x onerror=alert(1)&gt;Sales')
    expect(pages[1]).toContain('&lt;script&gt;alert(2)&lt;/script&gt;Adele')
    expect(pages[3]).toContain('&lt;b onmouseover=alert(3)&gt;Marketing&lt;/b&gt;')
    expect(all).not.toContain('<img src=x')
    expect(all).not.toContain('<script>alert')
    expect(all).not.toContain('<b onmouseover')
    const group = /href="\/console\/groups\/([^"]+)"/.exec(pages[0] ?? '')?.[1] ?? ''
    const groupPage = await (await b.get(`/console/groups/${group}`)).text()
    expect(groupPage).not.toContain('<img src=x')
  })
})
