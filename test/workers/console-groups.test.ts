/**
 * The console's Groups pages through the Worker's fetch: the list with user and agent member
 * counts (each agent of a member counts) and the role each grants, searched by a name prefix
 * and paged; a group's page with its members and their agents, the role set and cleared there
 * (and the members' effective role following), groups-as-roles mode, 404 for another tenant's
 * admin, and group names carrying HTML rendered as text.
 */
import { beforeAll, describe, it } from 'vitest'
import { signedIn, type Browser } from '../support/console'
import { adminJson, reportAgents } from '../support/directory'
import { createTenant, json, scimClient, type TestTenant } from '../support/scim'

const XSS = '<script>alert(1)</script>'
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;'

const groupLinks = (html: string): string[] =>
  [...html.matchAll(/href="\/console\/groups\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '')

const nextPage = (html: string): string | undefined =>
  /<a class="button" href="([^"]+)">Next page<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&')

async function page(b: Browser, path: string): Promise<string> {
  const res = await b.get(path)
  if (res.status !== 200) throw new Error(`GET ${path}: ${String(res.status)}`)
  return res.text()
}

/** A tenant with two users (one with two agents) in groups; answers their ids. */
async function directory(tenant: TestTenant) {
  const scim = scimClient(tenant)
  const user = async (userName: string, displayName: string) =>
    (await json(await scim.post('/Users', { userName, displayName }))).id
  const ada = await user('ada@contoso.com', 'Ada Lovelace')
  const bob = await user('bob@contoso.com', 'Bob Builder')
  const group = async (displayName: string, members: string[]) =>
    (
      await json(
        await scim.post('/Groups', { displayName, members: members.map((value) => ({ value })) })
      )
    ).id
  const groups = {
    engineers: await group('Engineers', [ada, bob]),
    leads: await group('Engineering Leads', [ada]),
    sales: await group('Sales', [bob]),
    evil: await group(XSS, [bob]),
  }
  await reportAgents(tenant.id, [
    { id: 'ada-desktop', upn: 'ada@contoso.com' },
    { id: 'ada-laptop', upn: 'ADA@contoso.com' },
  ])
  return { ada, bob, groups }
}

describe('Console groups', () => {
  let tenant: TestTenant
  let b: Browser
  let ids: Awaited<ReturnType<typeof directory>>
  let adminRole = ''

  beforeAll(async () => {
    tenant = await createTenant()
    b = await signedIn(tenant.id, { email: 'groups-admin@acme.test' })
    ids = await directory(tenant)
    adminRole = (
      await adminJson<{ id: string }>('POST', `/tenants/${tenant.id}/roles`, { name: 'Admin' }, 201)
    ).id
  })

  it('Should count each agent of a member as a member, and explain why', async ({ expect }) => {
    const html = await page(b, '/console/groups')
    expect(html).toContain(
      `href="/console/groups/${ids.groups.engineers}">Engineers</a></td><td class="num">2</td><td class="num">2</td>`
    )
    expect(html).toContain(
      `href="/console/groups/${ids.groups.sales}">Sales</a></td><td class="num">1</td><td class="num">0</td>`
    )
    expect(html).toContain('as the Okta guide says')
    expect(html).toContain('No role')
  })

  it('Should search by the start of the name in any letter case, as you type', async ({
    expect,
  }) => {
    expect(groupLinks(await page(b, '/console/groups?q=eNGINEERS'))).toEqual([ids.groups.engineers])
    expect(groupLinks(await page(b, '/console/groups?q=eng'))).toEqual([
      ids.groups.leads,
      ids.groups.engineers,
    ])
    const none = await page(b, '/console/groups?q=zz')
    expect(none).toContain('No groups match.')
    expect(none).toContain('data-live-search')
  })

  it('Should page the list with "Next page"', async ({ expect }) => {
    const seen: string[] = []
    let path: string | undefined = '/console/groups?limit=1'
    for (let guard = 0; path !== undefined && guard < 10; guard++) {
      const html = await page(b, path)
      seen.push(...groupLinks(html))
      path = nextPage(html)
    }
    expect(seen).toEqual([
      ids.groups.evil,
      ids.groups.leads,
      ids.groups.engineers,
      ids.groups.sales,
    ])
  })

  it('Should show the members with their agents, and leave membership to the IdP', async ({
    expect,
  }) => {
    const html = await page(b, `/console/groups/${ids.groups.engineers}`)
    expect(html).toContain(`href="/console/users/${ids.ada}">Ada Lovelace</a>`)
    expect(html).toContain(`href="/console/users/${ids.bob}">Bob Builder</a>`)
    expect(html).toContain('CONTOSO\\ada-desktop')
    expect(html).toContain('CONTOSO\\ada-laptop')
    expect(html).toContain('<strong>2</strong> users and <strong>2</strong> user agents')
    expect(html).toContain('Membership is managed in your identity provider')
    expect(html).not.toMatch(/action="[^"]*members/)
    const first = await page(b, `/console/groups/${ids.groups.engineers}?limit=1`)
    expect(first).toContain('Ada Lovelace')
    expect(first).not.toContain('Bob Builder')
    const second = await page(b, nextPage(first) ?? '')
    expect(second).toContain('Bob Builder')
    expect(nextPage(second)).toBeUndefined()
  })

  it("Should set and clear a group's role, and its members' effective role follows", async ({
    expect,
  }) => {
    const groupPath = `/console/groups/${ids.groups.leads}`
    const adaPath = `/console/users/${ids.ada}`
    expect(await page(b, adaPath)).toContain('<strong>Content Creator</strong>')
    expect(await page(b, groupPath)).toContain('This group grants no role.')
    const set = await b.post(`${groupPath}/role`, { roleId: adminRole })
    expect(set.status).toBe(303)
    expect(set.headers.get('Location')).toBe(`${groupPath}?done=role`)
    expect(await page(b, `${groupPath}?done=role`)).toContain('Grants <strong>Admin</strong>')
    const ada = await page(b, adaPath)
    expect(ada).toContain('<strong>Admin</strong>')
    expect(ada).toContain(`Granted by the group <a href="${groupPath}">Engineering Leads</a>`)
    expect(ada).toContain('Role changed from Content Creator to Admin')
    expect(await page(b, '/console/groups?q=engineering')).toContain('<td>Admin</td>')
    await b.get(groupPath)
    expect((await b.post(`${groupPath}/role`, { roleId: '' })).status).toBe(303)
    expect(await page(b, adaPath)).toContain('<strong>Content Creator</strong>')
    const history = await adminJson<{ entries: { op: string; actor: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/history?op=group.role`
    )
    expect(history.entries.map((e) => e.actor)).toEqual(['admin', 'admin'])
  })

  it('Should answer 404 for a role the tenant does not have', async ({ expect }) => {
    await b.get(`/console/groups/${ids.groups.sales}`)
    const res = await b.post(`/console/groups/${ids.groups.sales}/role`, { roleId: 'nope' })
    expect(res.status).toBe(404)
  })

  it('Should render group names carrying HTML as text', async ({ expect }) => {
    for (const path of [
      '/console/groups',
      `/console/groups/${ids.groups.evil}`,
      `/console/users/${ids.bob}`,
    ]) {
      const html = await page(b, path)
      expect(html).toContain(ESCAPED)
      expect(html).not.toContain(XSS)
    }
  })

  it("Should answer 404 to another tenant's admin for a group's page and role", async ({
    expect,
  }) => {
    const other = await createTenant()
    const stranger = await signedIn(other.id, { email: 'stranger-g@other.test' })
    const path = `/console/groups/${ids.groups.sales}`
    expect((await stranger.get(path)).status).toBe(404)
    await stranger.get('/console/groups')
    expect((await stranger.post(`${path}/role`, { roleId: '' })).status).toBe(404)
    expect(groupLinks(await page(stranger, '/console/groups'))).toEqual([])
    expect((await b.get('/console/groups/not-a-group')).status).toBe(404)
  })
})

describe('Console groups in groups-as-roles mode', () => {
  it('Should show every group as a role and refuse to give it another', async ({ expect }) => {
    const tenant = await createTenant('us', 'Tracks', { roleMode: 'groups-as-roles' })
    const b = await signedIn(tenant.id, { email: 'gar@acme.test' })
    const ids = await directory(tenant)
    const list = await page(b, '/console/groups')
    expect(list).toContain('Is a role')
    const group = await page(b, `/console/groups/${ids.groups.sales}`)
    expect(group).toContain('every group is a role')
    expect(group).not.toContain('name="roleId"')
    const res = await b.post(`/console/groups/${ids.groups.sales}/role`, { roleId: '' })
    expect(res.status).toBe(400)
    const bob = await page(b, `/console/users/${ids.bob}`)
    expect(bob).toContain('Every group is a role in this tenant: this is the group')
  })

  it('Should say what to do when there are no groups yet', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'nogroups@acme.test' })
    expect(await page(b, '/console/groups')).toContain(
      'Connect an identity provider on the Integrations page'
    )
  })
})
