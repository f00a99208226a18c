/**
 * The console's Users and Groups pages in real headless Chromium against `wrangler dev`: a
 * directory provisioned over SCIM, searched as you type, a user's page, the groups list and a
 * group's page with its role set, with a screenshot of each.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { adminApi, launch, scim, screenshot, signedInOwner, url } from './support'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launch()
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage()
})

afterAll(async () => {
  await browser.close()
})

/** Creates a resource over SCIM; answers its id. */
async function created(token: string, path: string, body: unknown): Promise<string> {
  const res = await scim(token, 'POST', path, body)
  if (res.status !== 201 || typeof res.body.id !== 'string')
    throw new Error(`POST ${path}: ${String(res.status)}`)
  return res.body.id
}

/** A tenant with a few people, groups and agents; signs its owner in. */
async function provisioned(): Promise<{ ada: string; engineers: string }> {
  const { tenantId } = await signedInOwner(page, 'Fabrikam', 'olivia@fabrikam.test')
  const key = await adminApi<{ token: string }>('POST', `/tenants/${tenantId}/keys`, {
    name: 'entra',
  })
  const people = [
    ['ada.lovelace', 'Ada Lovelace', 'E-100'],
    ['alan.turing', 'Alan Turing', 'E-101'],
    ['grace.hopper', 'Grace Hopper', 'E-102'],
    ['katherine.johnson', 'Katherine Johnson', 'E-103'],
  ] as const
  const ids: string[] = []
  for (const [name, displayName, employeeNumber] of people) {
    const id = await created(key.token, '/Users', {
      userName: `${name}@fabrikam.com`,
      displayName,
      emails: [{ value: `${name}@fabrikam.com`, type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber },
    })
    ids.push(id)
  }
  const members = ids.map((value) => ({ value }))
  const engineers = await created(key.token, '/Groups', { displayName: 'Engineers', members })
  await created(key.token, '/Groups', { displayName: 'Leads', members: members.slice(0, 1) })
  await adminApi('POST', `/tenants/${tenantId}/agents`, {
    agents: [
      {
        id: 'ada-desktop',
        logonName: 'ada',
        domain: 'FABRIKAM',
        upn: 'ada.lovelace@fabrikam.com',
        lastSeen: '2026-11-30T10:00:00Z',
      },
      {
        id: 'ada-laptop',
        logonName: 'ada-laptop',
        domain: 'FABRIKAM',
        email: 'ada.lovelace@fabrikam.com',
        lastSeen: '2026-11-30T10:00:00Z',
      },
    ],
  })
  await adminApi('POST', `/tenants/${tenantId}/roles`, { name: 'Admin' })
  return { ada: ids[0] ?? '', engineers }
}

describe('Console users and groups', () => {
  it('Should search users as you type, and show a user and a group', async ({ expect }) => {
    const { ada, engineers } = await provisioned()
    await page.goto(url('/console/users'))
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(4)
    await screenshot(page, 'users')
    await page.getByLabel('Search').pressSequentially('grace', { delay: 30 })
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(1)
    expect(await page.locator('#results').textContent()).toContain('Grace Hopper')
    expect(page.url()).toContain('q=grace')
    await screenshot(page, 'users-search')

    await page.goto(url(`/console/users/${ada}`))
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ada Lovelace')
    expect(await page.locator('#history').textContent()).toContain(
      'Linked agent FABRIKAM\\ada by UPN'
    )
    await screenshot(page, 'user')

    await page.goto(url('/console/groups'))
    expect(await page.locator('#results').textContent()).toContain('Engineers')
    await screenshot(page, 'groups')
    await page.goto(url(`/console/groups/${engineers}`))
    await page.getByLabel('Role this group grants').selectOption({ label: 'Admin' })
    await page.getByRole('button', { name: 'Save role' }).click()
    await page.waitForURL(/done=role/)
    expect(await page.getByRole('status').first().textContent()).toContain('The role is set')
    await screenshot(page, 'group')
  })
})
