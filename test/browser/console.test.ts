/**
 * The console end to end in real headless Chromium against `wrangler dev`: what an IT admin
 * does in the vendor guides, step by step, with screenshots of each page for the README.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { launch, newTenantWithOwner, PASSWORD, screenshot, signIn, url } from './support'

let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  browser = await launch()
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  page = await context.newPage()
})

afterAll(async () => {
  await browser.close()
})

describe('Console journeys', () => {
  it('Should take an invited owner from the invitation link to a signed-in console', async ({
    expect,
  }) => {
    const { invitation } = await newTenantWithOwner('Contoso Ltd', 'olivia@contoso.test')
    await page.goto(invitation)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('Welcome')
    await screenshot(page, 'invitation')
    await page.getByLabel('New password').fill(PASSWORD)
    await page.getByLabel('Repeat the password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.waitForURL(/\/console\/login/)
    expect(await page.getByRole('status').first().textContent()).toContain('Your password is set')
    await screenshot(page, 'sign-in')
    await signIn(page, 'olivia@contoso.test')
    await page.goto(url('/console/admins'))
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Admins')
    expect(await page.locator('table').textContent()).toContain('olivia@contoso.test')
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'console_session')
    expect(session).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/console',
    })
    await screenshot(page, 'admins')
  })
})
