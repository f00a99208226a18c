/**
 * Provisioning watched from the console, in headless Chromium against `wrangler dev`: an Entra
 * SCIM instance added from its card with the key copied once, that key used over SCIM as Entra
 * would, the user found as you type with its history, its suspension seen, the history exported
 * as CSV, a Do Not Track entry added and removed, and a deletion verified.
 */
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launch, scim, screenshot, signedInOwner, url } from './support'

let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  browser = await launch()
  context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url('') })
  page = await context.newPage()
})

/** What the page's clipboard holds (the test's tsconfig has no DOM types: evaluated as text). */
const clipboard = async (): Promise<string> =>
  String(await page.evaluate('navigator.clipboard.readText()'))

afterAll(async () => {
  await browser.close()
})

describe('Provisioning through the console', () => {
  let token = ''
  let userId = ''

  it('Should add an Entra ID SCIM instance from its card and copy its key once', async ({
    expect,
  }) => {
    await signedInOwner(page, 'Fabrikam', 'it@fabrikam.test')
    await page.goto(url('/console/integrations'))
    await screenshot(page, 'integrations')
    await page.getByRole('link', { name: 'Add instance of Microsoft Entra ID (SCIM)' }).click()
    await page.getByLabel('API key name').fill('Entra production')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Entra production')
    expect(await page.getByText('it cannot be shown again').count()).toBe(1)
    await page.getByRole('button', { name: /Copy API key/ }).click()
    await expect
      .poll(() => page.getByRole('button', { name: /Copy API key/ }).textContent())
      .toBe('Copied')
    token = await clipboard()
    expect(token).toMatch(/^scim_us_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/)
    await page.getByRole('button', { name: /Copy Tenant URL/ }).click()
    expect(await clipboard()).toBe(url('/scim/v2'))
    await screenshot(page, 'new-instance-key')

    await page.getByRole('link', { name: 'View instance' }).click()
    expect(await page.locator('body').textContent()).not.toContain(token)
    await screenshot(page, 'instance')
  })

  it('Should accept the copied key over SCIM as Entra ID sends it', async ({ expect }) => {
    const created = await scim(token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'megan@fabrikam.test',
      active: true,
      displayName: 'Megan Bowen',
      emails: [{ primary: true, type: 'work', value: 'megan@fabrikam.test' }],
      name: { givenName: 'Megan', familyName: 'Bowen' },
      externalId: 'megan',
    })
    expect(created.status).toBe(201)
    userId = String(created.body.id)
  })

  it('Should show the user with its history, searched as you type, and its suspension', async ({
    expect,
  }) => {
    await page.goto(url('/console/users'))
    await page.getByLabel('Search').pressSequentially('meg')
    await expect.poll(() => page.url()).toContain('q=meg')
    expect(await page.locator('#results').textContent()).toContain('megan@fabrikam.test')
    await page.getByRole('link', { name: 'Megan Bowen' }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Megan Bowen')
    expect(await page.locator('main').textContent()).toContain('User created')
    const patch = await scim(token, 'PATCH', `/Users/${userId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    expect(patch.status).toBe(200)
    await page.reload()
    expect(await page.locator('main').textContent()).toContain('Suspended by the identity provider')
    expect(await page.locator('main').textContent()).toContain('User suspended')
    await screenshot(page, 'user-suspended')
  })

  it('Should export the history as a CSV file', async ({ expect }) => {
    await page.goto(url('/console/history'))
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export as CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^history-.+\.csv$/)
    const path = await download.path()
    const csv = readFileSync(path, 'utf8')
    const [header, ...rows] = csv.trim().split(/\r?\n/)
    expect(header).toContain('Time (UTC),Operation,Op,')
    expect(rows.some((r) => r.includes('user.create') && r.includes('megan@fabrikam.test'))).toBe(
      true
    )
    expect(rows.some((r) => r.includes('user.suspend'))).toBe(true)
  })

  it('Should add a user to the Do Not Track list and take them off again', async ({ expect }) => {
    await page.goto(url('/console/dnt'))
    await page.getByLabel('userName of the user').fill('megan@fabrikam.test')
    await page.getByRole('button', { name: 'Add to the list' }).click()
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Added')
    expect(await page.locator('table').textContent()).toContain('Added by hand')
    await screenshot(page, 'do-not-track')
    await page.getByRole('button', { name: 'Remove megan@fabrikam.test from the list' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.textContent()).toContain('the only way off the list')
    await dialog.getByRole('button', { name: 'Remove from the list' }).click()
    await page.waitForURL(/done=removed/)
    expect(await page.getByText('Nobody is on the Do Not Track list.').count()).toBe(1)
  })

  it('Should show a deletion verified within minutes of the identity provider deleting the user', async ({
    expect,
  }) => {
    expect((await scim(token, 'DELETE', `/Users/${userId}`)).status).toBe(204)
    await page.goto(url('/console/deletions'))
    expect(await page.getByText('verified within 12 hours').count()).toBe(1)
    await expect
      .poll(
        async () => {
          await page.reload()
          return page.locator('#results').textContent()
        },
        { timeout: 30_000, interval: 500 }
      )
      .toContain('Verified')
    expect(await page.locator('#results').textContent()).toContain('megan@fabrikam.test')
    await screenshot(page, 'deletions')
  })
})
