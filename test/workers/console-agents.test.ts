/**
 * The console's User agents page through the Worker's fetch: the license counts, each agent's
 * link state, rule, user, license (a Do Not Track agent still holds one) and last seen, the
 * link-state filter and paging, merging a user's agents and undoing the merge (with the domain's
 * refusals shown), names from SCIM escaped, and another tenant's admin kept out of all of it.
 */
import { describe, it } from 'vitest'
import { signedIn, textOf, type Browser } from '../support/console'
import { ACTIVTRAK, ENTERPRISE, drainAlarms, reportAgents } from '../support/directory'
import { createTenant, json, scimClient, type ScimClient } from '../support/scim'

async function createUser(scim: ScimClient, body: Record<string, unknown>): Promise<string> {
  const res = await scim.post('/Users', body)
  if (res.status !== 201) throw new Error(`create user: ${String(res.status)} ${await res.text()}`)
  return (await json(res)).id
}

/**
 * Tyler with a laptop (by UPN) and a desktop (by work email), Dana on Do Not Track with one agent
 * (by employeeNumber), Uma with one agent, a kiosk no user matches, and Gone's agent, removed
 * with its deleted user.
 */
async function contoso() {
  const tenant = await createTenant()
  const scim = scimClient(tenant)
  const tyler = await createUser(scim, {
    userName: 'tyler@contoso.com',
    emails: [{ value: 'tyler.work@contoso.com', type: 'work' }],
  })
  const dana = await createUser(scim, {
    userName: 'dana@contoso.com',
    [ENTERPRISE]: { employeeNumber: 'E-7' },
    [ACTIVTRAK]: { tracking: false },
  })
  const uma = await createUser(scim, { userName: 'uma@contoso.com' })
  const gone = await createUser(scim, { userName: 'gone@contoso.com' })
  await reportAgents(tenant.id, [
    { id: 'tyler-laptop', logonName: 'tyler', upn: 'tyler@contoso.com' },
    { id: 'tyler-desktop', logonName: 'tyler2', email: 'tyler.work@contoso.com' },
    { id: 'dana-pc', logonName: 'dana', employeeId: 'e-7', lastSeen: '2026-11-29T08:15:00+02:00' },
    { id: 'uma-pc', logonName: 'uma', upn: 'uma@contoso.com' },
    { id: 'kiosk', logonName: 'kiosk', upn: 'kiosk@contoso.com' },
    { id: 'gone-pc', logonName: 'gone', upn: 'gone@contoso.com' },
  ])
  if ((await scim.del(`/Users/${gone}`)).status !== 204) throw new Error('delete failed')
  await drainAlarms(tenant.id)
  return { tenant, scim, tyler, dana, uma }
}

/** The text of the table row that mentions `id`. */
function rowOf(html: string, id: string): string {
  const row = html.split('<tr>').find((r) => r.includes(`<div class="hint mono">${id}<`))
  return textOf(`<tr>${row ?? ''}`)
}

const mergeForm = (b: Browser, fields: Record<string, string | readonly string[]>) =>
  b.post('/console/agents/merge', fields)

describe('Console user agents', () => {
  it('Should show the license counts and each agent with its link, rule, user, license and Do Not Track', async ({
    expect,
  }) => {
    const { tenant, tyler } = await contoso()
    const b = await signedIn(tenant.id, { email: 'ag1@acme.test' })
    const res = await b.get('/console/agents')
    expect(res.status).toBe(200)
    const html = await res.text()
    const text = textOf(html)
    expect(text).toContain(
      'Licensed 5 1 of them on Do Not Track: not tracked, still licensed Linked to a user 4'
    )
    expect(text).toContain('Not linked 1')
    expect(text).toContain('Merged 0')
    expect(text).toContain('Removed 1 their user was deleted')
    expect(rowOf(html, 'tyler-laptop')).toBe(
      'CONTOSO\\tyler tyler-laptop Linked by UPN tyler@contoso.com All their agents Licensed Tracked 2026-11-30 10:00 UTC'
    )
    expect(rowOf(html, 'tyler-desktop')).toContain('Linked by work email tyler@contoso.com')
    expect(rowOf(html, 'dana-pc')).toBe(
      'CONTOSO\\dana dana-pc Linked by employeeNumber dana@contoso.com All their agents Licensed Not tracked, but still holds a license Do Not Track 2026-11-29 06:15 UTC'
    )
    expect(rowOf(html, 'kiosk')).toBe(
      'CONTOSO\\kiosk kiosk Not linked — Licensed Tracked 2026-11-30 10:00 UTC'
    )
    expect(rowOf(html, 'gone-pc')).toContain('Removed — No license Removed')
    expect(html).toContain(`href="/console/users/${tyler}"`)
    expect(html).toContain(`href="/console/agents?userId=${tyler}"`)
  })

  it('Should filter by link state and by user, and page through the list', async ({ expect }) => {
    const { tenant } = await contoso()
    const b = await signedIn(tenant.id, { email: 'ag2@acme.test' })
    const ids = async (path: string) =>
      [...(await (await b.get(path)).text()).matchAll(/<div class="hint mono">([^<]+)</g)].map(
        (m) => m[1]
      )
    expect(await ids('/console/agents?state=unlinked&user=')).toEqual(['kiosk'])
    expect(await ids('/console/agents?state=removed')).toEqual(['gone-pc'])
    expect(await ids('/console/agents?state=linked&user=TYLER@contoso.com')).toEqual([
      'tyler-desktop',
      'tyler-laptop',
    ])
    const first = await (await b.get('/console/agents?state=linked&limit=2')).text()
    const next = /href="(\/console\/agents\?[^"]+)"[^>]*>Next page/.exec(first)?.[1] ?? ''
    expect(next.replaceAll('&amp;', '&')).toBe('/console/agents?state=linked&cursor=tyler-desktop')
    expect(await ids(next.replaceAll('&amp;', '&'))).toEqual(['tyler-laptop', 'uma-pc'])
    const unknown = await (await b.get('/console/agents?user=nobody@contoso.com')).text()
    expect(textOf(unknown)).toContain('No user has the userName "nobody@contoso.com".')
    expect(unknown).toContain('No user agents match.')
    expect((await b.get('/console/agents?state=licensed')).status).toBe(400)
  })

  it("Should merge a user's agents into one, show the merge and undo it", async ({ expect }) => {
    const { tenant, tyler } = await contoso()
    const b = await signedIn(tenant.id, { email: 'ag3@acme.test' })
    const list = await (await b.get(`/console/agents?userId=${tyler}`)).text()
    expect(list).toContain('name="agentIds" value="tyler-laptop"')
    expect(list).toContain('<option value="tyler-laptop">')
    expect(textOf(list)).toContain('Merge agents of tyler@contoso.com')

    const merged = await mergeForm(b, {
      userId: tyler,
      into: 'tyler-laptop',
      agentIds: ['tyler-laptop', 'tyler-desktop'],
    })
    expect(merged.status).toBe(303)
    const mergePath = merged.headers.get('Location')?.split('?')[0] ?? ''
    expect(mergePath).toMatch(/^\/console\/agents\/merges\/[0-9a-f-]{36}$/)
    const view = textOf(await (await b.get(`${mergePath}?done=merged`)).text())
    expect(view).toContain('In force')
    expect(view).toContain('Kept agent CONTOSO\\tyler (tyler-laptop)')
    expect(view).toContain('Merged into it CONTOSO\\tyler2 (tyler-desktop)')

    const after = await (await b.get(`/console/agents?userId=${tyler}`)).text()
    expect(rowOf(after, 'tyler-desktop')).toContain(
      'Merged into tyler-laptop · View merge tyler@contoso.com All their agents No license Shares the license of the agent it is merged into'
    )
    expect(rowOf(after, 'tyler-laptop')).toContain('Linked by UPN 1 merged into it')
    expect(after).toContain(`href="${mergePath}"`)
    expect(textOf(after)).toContain('Licensed 4')
    expect(textOf(after)).toContain('Merged 1')

    await b.get(mergePath)
    const undone = await b.post(`${mergePath}/undo`, {})
    expect(undone.status).toBe(303)
    expect(textOf(await (await b.get(`${mergePath}?done=undone`)).text())).toContain(
      'State Undone by an admin'
    )
    expect(textOf(await (await b.get('/console/agents')).text())).toContain('Merged 0')
    const again = await b.post(`${mergePath}/undo`, {})
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('already ended')
  })

  it("Should show the domain's refusal when a merge breaks a rule", async ({ expect }) => {
    const { tenant, tyler } = await contoso()
    const b = await signedIn(tenant.id, { email: 'ag4@acme.test' })
    await b.get(`/console/agents?userId=${tyler}`)
    const one = await mergeForm(b, {
      userId: tyler,
      into: 'tyler-laptop',
      agentIds: 'tyler-laptop',
    })
    expect(one.status).toBe(400)
    const oneText = textOf(await one.text())
    expect(oneText).toContain('A merge needs at least two different agents')
    expect(oneText).toContain('Agents of tyler@contoso.com')
    const other = await mergeForm(b, {
      userId: tyler,
      into: 'tyler-laptop',
      agentIds: ['tyler-laptop', 'uma-pc'],
    })
    expect(other.status).toBe(409)
    expect(textOf(await other.text())).toContain('Agent(s) "uma-pc" do not belong to user')
    const unlinked = await mergeForm(b, { userId: tyler, agentIds: ['tyler-laptop', 'kiosk'] })
    expect(unlinked.status).toBe(409)
    expect(textOf(await unlinked.text())).toContain('"kiosk" are not linked to a user')
  })

  it("Should answer 404 to another tenant's admin for every agent URL and action", async ({
    expect,
  }) => {
    const { tenant, tyler } = await contoso()
    const other = await createTenant()
    const owner = await signedIn(tenant.id, { email: 'ag5a@acme.test' })
    const stranger = await signedIn(other.id, { email: 'ag5b@acme.test' })
    await owner.get(`/console/agents?userId=${tyler}`)
    const merged = await mergeForm(owner, {
      userId: tyler,
      agentIds: ['tyler-laptop', 'tyler-desktop'],
    })
    const mergePath = merged.headers.get('Location')?.split('?')[0] ?? ''

    const list = await (await stranger.get('/console/agents')).text()
    expect(list).not.toContain('tyler-laptop')
    expect((await stranger.get(`/console/agents?userId=${tyler}`)).status).toBe(404)
    expect((await stranger.get(mergePath)).status).toBe(404)
    expect((await stranger.post(`${mergePath}/undo`, {})).status).toBe(404)
    expect(
      (await mergeForm(stranger, { userId: tyler, agentIds: ['tyler-laptop', 'uma-pc'] })).status
    ).toBe(404)
    // Its own user, the first tenant's agents: they are not in its tenant.
    const mine = await createUser(scimClient(other), { userName: 'me@other.test' })
    const foreign = await mergeForm(stranger, {
      userId: mine,
      agentIds: ['tyler-laptop', 'tyler-desktop'],
    })
    expect(foreign.status).toBe(404)
    expect(textOf(await foreign.text())).toContain('Agent(s) not found')
    expect(textOf(await (await owner.get(mergePath)).text())).toContain('In force')
  })

  it('Should render names from SCIM and agent reports as text, never as markup', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const evil = '<script>alert(1)</script>'
    const userId = await createUser(scimClient(tenant), { userName: `${evil}@contoso.com` })
    await reportAgents(tenant.id, [
      { id: 'x-1', logonName: `<img src=x onerror=alert(2)>`, upn: `${evil}@contoso.com` },
      { id: 'x-2', logonName: 'second', upn: `${evil}@contoso.com` },
    ])
    const b = await signedIn(tenant.id, { email: 'ag6@acme.test' })
    for (const path of ['/console/agents', `/console/agents?userId=${userId}`]) {
      const html = await (await b.get(path)).text()
      expect(html).not.toContain(evil)
      expect(html).not.toContain('<img src=x')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@contoso.com')
      expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    }
    const merged = await mergeForm(b, { userId, agentIds: ['x-1', 'x-2'] })
    const page = await (await b.get(merged.headers.get('Location') ?? '')).text()
    expect(page).not.toContain(evil)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@contoso.com')
  })
})
