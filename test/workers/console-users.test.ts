/**
 * The console's Users pages through the Worker's fetch: the list searched by the start of a
 * name, userName, email or employee id and filtered by state (deleted users as their deletion
 * records), paged; a user's page with their identifiers, agents and how each was linked,
 * groups, role and history in words; Do Not Track added from the page; another tenant's admin
 * gets 404 for all of it, and names carrying HTML render as text.
 */
import { beforeAll, describe, it } from 'vitest'
import { signedIn, type Browser } from '../support/console'
import { ACTIVTRAK, ENTERPRISE, adminJson, reportAgents } from '../support/directory'
import { createTenant, json, patchOp, scimClient, type TestTenant } from '../support/scim'

const XSS = '<script>alert(1)</script>'
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;'

/** The ids of the users a list page links to, in page order. */
const userLinks = (html: string): string[] =>
  [...html.matchAll(/href="\/console\/users\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '')

/** The href of the page's "Next page" link, unescaped. */
const nextPage = (html: string): string | undefined =>
  /<a class="button" href="([^"]+)">Next page<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&')

async function page(b: Browser, path: string, status = 200): Promise<string> {
  const res = await b.get(path)
  const html = await res.text()
  if (res.status !== status)
    throw new Error(`GET ${path}: expected ${String(status)}, got ${String(res.status)}`)
  return html
}

describe('Console users', () => {
  let tenant: TestTenant
  let b: Browser
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    tenant = await createTenant()
    b = await signedIn(tenant.id, { email: 'users-admin@acme.test' })
    const scim = scimClient(tenant)
    const people = [
      {
        userName: 'ada.lovelace@contoso.com',
        displayName: 'Ada Lovelace',
        externalId: 'ext-ada-1',
        emails: [
          { value: 'Ada.Lovelace@Contoso.com', type: 'work', primary: true },
          { value: 'ada@home.example', type: 'home' },
        ],
        [ENTERPRISE]: { employeeNumber: 'E-100' },
        [ACTIVTRAK]: { userPrincipalNames: [{ value: 'ada@corp.contoso.com' }] },
      },
      {
        userName: 'grace@contoso.com',
        displayName: 'Grace Hopper',
        emails: [{ value: 'Admiral@navy.example', type: 'work' }],
        [ENTERPRISE]: { employeeNumber: '7001' },
      },
      { userName: 'dave@contoso.com', displayName: 'Dave Deleted' },
      { userName: 'mallory@contoso.com', displayName: XSS },
    ]
    for (const p of people) {
      const res = await scim.post('/Users', p)
      ids[p.userName] = (await json(res)).id
    }
    await scim.patch(
      `/Users/${ids['grace@contoso.com'] ?? ''}`,
      patchOp({ op: 'replace', path: 'active', value: false })
    )
    await scim.del(`/Users/${ids['dave@contoso.com'] ?? ''}`)
    await scim.patch(
      `/Users/${ids['ada.lovelace@contoso.com'] ?? ''}`,
      patchOp({ op: 'replace', path: 'title', value: 'Countess' })
    )
    await scim.post('/Groups', {
      displayName: 'Engineers',
      members: [{ value: ids['ada.lovelace@contoso.com'] }],
    })
    await reportAgents(tenant.id, [
      { id: 'ada-upn', upn: 'ada@corp.contoso.com' },
      { id: 'ada-mail', email: 'ada.lovelace@contoso.com' },
      { id: 'ada-emp', employeeId: 'e-100' },
    ])
  })

  it.for<[string, string, string]>([
    ['a name', 'grace H', 'grace@contoso.com'],
    ['a userName', 'ADA.LOV', 'ada.lovelace@contoso.com'],
    ['an email', 'admiral@NAVY', 'grace@contoso.com'],
    ['an employee id', 'e-1', 'ada.lovelace@contoso.com'],
  ])(
    'Should find a user by the start of %s, in any letter case',
    async ([, q, who], { expect }) => {
      const html = await page(b, `/console/users?q=${encodeURIComponent(q)}`)
      expect(userLinks(html)).toEqual([ids[who]])
      expect(html).toContain('id="results"')
    }
  )

  it('Should list everyone but the deleted, with state, agents, DNT and role', async ({
    expect,
  }) => {
    const html = await page(b, '/console/users')
    expect(userLinks(html)).toEqual([
      ids['ada.lovelace@contoso.com'],
      ids['grace@contoso.com'],
      ids['mallory@contoso.com'],
    ])
    expect(html).toContain('data-live-search')
    // The address may wrap after its @ in a narrow column.
    expect(html).toContain('<td>Ada.Lovelace@<wbr/>Contoso.com</td>')
    expect(html).toContain('E-100')
    expect(html).toContain('Content Creator')
    expect(html).not.toContain('dave@contoso.com')
  })

  it('Should filter by state: suspended over SCIM, active, and deleted over SCIM', async ({
    expect,
  }) => {
    const suspended = await page(b, '/console/users?state=suspended')
    expect(userLinks(suspended)).toEqual([ids['grace@contoso.com']])
    expect(suspended).toContain('Suspended')
    const active = await page(b, '/console/users?state=active&q=')
    expect(userLinks(active)).not.toContain(ids['grace@contoso.com'])
    expect(userLinks(active)).toContain(ids['ada.lovelace@contoso.com'])
    const deleted = await page(b, '/console/users?state=deleted')
    expect(userLinks(deleted)).toEqual([])
    expect(deleted).toContain('dave@contoso.com')
    expect(deleted).toContain('href="/console/deletions"')
    expect(deleted).toMatch(/Pending|Verified/)
  })

  it('Should show the identifiers, agents with their rule, groups and role', async ({ expect }) => {
    const html = await page(b, `/console/users/${ids['ada.lovelace@contoso.com'] ?? ''}`)
    for (const text of [
      'ada.lovelace@contoso.com',
      'ext-ada-1',
      'Ada Lovelace',
      'Ada.Lovelace@Contoso.com',
      'ada@home.example',
      'home',
      'ada@corp.contoso.com',
      'E-100',
      'Active',
      'Content Creator',
      'default role',
    ])
      expect(html).toContain(text)
    expect(html).toMatch(/CONTOSO\\ada-upn<\/td><td>UPN</)
    expect(html).toMatch(/CONTOSO\\ada-mail<\/td><td>work email</)
    expect(html).toMatch(/CONTOSO\\ada-emp<\/td><td>employeeNumber</)
    expect(html).toContain('Holds a license')
    expect(html).toMatch(/href="\/console\/groups\/[0-9a-f-]{36}">Engineers</)
  })

  it('Should tell the history in words: created, updated, suspended, joined, linked', async ({
    expect,
  }) => {
    const ada = await page(b, `/console/users/${ids['ada.lovelace@contoso.com'] ?? ''}`)
    for (const text of [
      'User created',
      'User updated',
      'title: Countess',
      'Added to group Engineers',
      'Linked agent CONTOSO\\ada-upn by UPN',
      'Linked agent CONTOSO\\ada-emp by employeeNumber',
      'Identity provider (SCIM) · key &quot;entra&quot;',
    ])
      expect(ada).toContain(text)
    // Newest first: the agents were linked after the user was created.
    expect(ada.indexOf('Linked agent')).toBeLessThan(ada.indexOf('>User created<'))
    const grace = await page(b, `/console/users/${ids['grace@contoso.com'] ?? ''}`)
    expect(grace).toContain('>User suspended<')
    expect(grace).toContain('active: false')
    expect(grace).toContain('employeeNumber: 7001')
    expect(grace).toContain('Entra ID’s soft delete')
  })

  it('Should page the history, newest first', async ({ expect }) => {
    const path = `/console/users/${ids['ada.lovelace@contoso.com'] ?? ''}`
    const first = await page(b, `${path}?limit=2`)
    const next = nextPage(first)
    expect(next).toMatch(/^\/console\/users\/[0-9a-f-]{36}\?limit=2&cursor=/)
    let html = first
    let path2 = next
    for (let guard = 0; path2 !== undefined && guard < 10; guard++) {
      html = await page(b, path2)
      path2 = nextPage(html)
    }
    expect(first).not.toContain('>User created<')
    expect(html).toContain('>User created<')
  })

  it('Should add the user to Do Not Track from their page, as the admin', async ({ expect }) => {
    const id = ids['grace@contoso.com'] ?? ''
    const before = await page(b, `/console/users/${id}`)
    expect(before).toContain('Add to Do Not Track')
    const res = await b.post(`/console/users/${id}/dnt`, {})
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/console/users/${id}?done=dnt`)
    const after = await page(b, `/console/users/${id}?done=dnt`)
    expect(after).toContain('Added to the Do Not Track list')
    expect(after).toContain('Added by hand')
    expect(after).not.toContain('>Add to Do Not Track<')
    expect(after).toContain('Added to Do Not Track (added by hand)')
    expect(after).toContain('Console admin · users-admin@acme.test')
    const dnt = await adminJson<{ entries: { userId: string | null }[] }>(
      'GET',
      `/tenants/${tenant.id}/dnt`
    )
    expect(dnt.entries.map((e) => e.userId)).toContain(id)
  })

  it('Should render names carrying HTML as text', async ({ expect }) => {
    const list = await page(b, '/console/users?q=mallory')
    const user = await page(b, `/console/users/${ids['mallory@contoso.com'] ?? ''}`)
    for (const html of [list, user]) {
      expect(html).toContain(ESCAPED)
      expect(html).not.toContain(XSS)
    }
  })

  it("Should answer 404 to another tenant's admin for a user's page and actions", async ({
    expect,
  }) => {
    const other = await createTenant()
    const stranger = await signedIn(other.id, { email: 'stranger@other.test' })
    const id = ids['ada.lovelace@contoso.com'] ?? ''
    expect((await stranger.get(`/console/users/${id}`)).status).toBe(404)
    await stranger.get('/console/users')
    expect((await stranger.post(`/console/users/${id}/dnt`, {})).status).toBe(404)
    expect(userLinks(await page(stranger, '/console/users'))).toEqual([])
    const dnt = await adminJson<{ entries: { userId: string | null }[] }>(
      'GET',
      `/tenants/${tenant.id}/dnt`
    )
    expect(dnt.entries.map((e) => e.userId)).not.toContain(id)
    expect((await b.get('/console/users/not-a-user')).status).toBe(404)
  })
})

describe('Console users, paged and empty', () => {
  it('Should say what to do when there is nobody yet', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'empty@acme.test' })
    const html = await page(b, '/console/users')
    expect(html).toContain('Connect an identity provider on the Integrations page')
    expect(html).toContain('href="/console/integrations"')
    expect(await page(b, '/console/users?q=zz')).toContain('No users match.')
  })

  it('Should page the list with "Next page", keeping the search', async ({ expect }) => {
    const tenant = await createTenant()
    const b = await signedIn(tenant.id, { email: 'pager@acme.test' })
    const scim = scimClient(tenant)
    for (const n of ['p1', 'p2', 'p3', 'q1'])
      await scim.post('/Users', { userName: `${n}@contoso.com` })
    const first = await page(b, '/console/users?q=p&limit=2')
    expect(userLinks(first)).toHaveLength(2)
    const next = nextPage(first)
    expect(next).toContain('limit=2&q=p&cursor=')
    const second = await page(b, next ?? '')
    expect(userLinks(second)).toHaveLength(1)
    expect(second).toContain('p3@contoso.com')
    expect(nextPage(second)).toBeUndefined()
    expect((await b.get('/console/users?cursor=not-ours')).status).toBe(400)
  })
})
