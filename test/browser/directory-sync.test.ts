/**
 * The directory sync set up as the ActivTrak guide has it ("authenticate the integration by
 * connecting to Azure"), in real headless Chromium against `wrangler dev`: the owner adds a
 * directory sync with "Connect to Microsoft Entra ID", follows the consent redirect to the fake
 * identity platform and back, on through the silent sign-in that proves the consenting
 * directory and back again, starts "Sync now", watches the live progress finish and reads the
 * run report, with a screenshot of each step; and what a refused consent shows.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { adminApi, launch, screenshot, signedInOwner, url } from './support'

/** The service's multi-tenant app as server.ts registered it. */
const OPERATOR_APP_ID = '33333333-3333-4333-8333-333333333333'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launch()
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  page = await context.newPage()
})

afterAll(async () => {
  await browser.close()
})

/** A new tenant whose owner has set a password, with agents for two contoso users. */
async function ownerOfNewTenant(email: string): Promise<void> {
  const { tenantId } = await signedInOwner(page, 'Fabrikam', email)
  await adminApi('POST', `/tenants/${tenantId}/agents`, {
    agents: ['AdeleV@contoso.com', 'LeeG@contoso.com'].map((upn, i) => ({
      id: `pc-${String(i)}`,
      logonName: `pc-${String(i)}`,
      domain: 'CONTOSO',
      upn,
      lastSeen: '2026-11-30T10:00:00Z',
    })),
  })
}

/** Tells the fake identity platform who answers the operator app's next consent prompts. */
async function consenter(body: unknown): Promise<void> {
  const res = await fetch(`${inject('graphBase')}/_fake/apps/${OPERATOR_APP_ID}/consenter`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`consenter: ${String(res.status)} ${await res.text()}`)
}

/** A fact of the newest run report: the text after its label. */
const fact = (label: string) =>
  page.locator('article').first().locator('dt', { hasText: label }).locator('+ dd').textContent()

describe('Directory sync journey', () => {
  it('Should connect to Microsoft Entra ID with admin consent, sync and show the report', async ({
    expect,
  }) => {
    await ownerOfNewTenant('ines@fabrikam.test')
    await page.goto(url('/console/integrations'))
    await page
      .getByRole('link', { name: 'Add instance of Microsoft Entra ID (directory sync)' })
      .click()
    await page.getByLabel('Instance name').fill('Fabrikam directory')
    await page.getByLabel('ActivTrak group (groups parent)').fill('ActivTrak Groups')
    await page.getByLabel('Do Not Track group').fill('ActivTrak Do Not Track')
    await page.getByLabel('Delete group').fill('ActivTrak Delete')
    await screenshot(page, 'directory-sync-new')

    await page.getByRole('button', { name: 'Save, then connect to Microsoft Entra ID' }).click()
    await page.waitForURL(/done=created-consent/)
    const connection = page.getByRole('region', { name: /Microsoft Entra ID/ })
    expect(await connection.textContent()).toContain('Waiting for consent')
    expect(await page.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true)
    await screenshot(page, 'directory-sync-waiting')

    const visited: URL[] = []
    page.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(new URL(request.url()))
    })
    await page.getByRole('link', { name: 'Connect to Microsoft Entra ID' }).click()
    await page.waitForURL(/done=connected/)
    page.removeAllListeners('request')
    const signIn = visited.find((u) => u.pathname.endsWith('/oauth2/v2.0/authorize'))
    expect(signIn?.pathname).toBe(`/${inject('contosoDirectoryId')}/oauth2/v2.0/authorize`)
    expect(signIn?.searchParams.get('prompt')).toBe('none')
    expect(visited.map((u) => u.pathname)).toEqual([
      expect.stringMatching(/\/connect$/),
      '/organizations/v2.0/adminconsent',
      '/console/integrations/consent/callback',
      `/${inject('contosoDirectoryId')}/oauth2/v2.0/authorize`,
      '/console/integrations/consent/callback',
      expect.stringMatching(/^\/console\/integrations\/[a-z0-9]+$/),
    ])
    expect(await page.getByRole('status').first().textContent()).toContain(
      'your directory granted consent'
    )
    expect(await connection.textContent()).toContain('Connected')
    expect(await connection.textContent()).toContain(inject('contosoDirectoryId'))
    await screenshot(page, 'directory-sync-connected')

    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.waitForURL(/done=sync/)
    await screenshot(page, 'directory-sync-progress')
    // The page polls the progress and reloads itself once the run is over.
    await expect
      .poll(() => page.locator('article').first().textContent(), {
        timeout: 90_000,
        interval: 1000,
      })
      .toContain('Succeeded')
    expect(await fact('Entra users seen')).toBe('16')
    expect(await fact('Groups created')).toBe('3')
    expect(await fact('Users deleted')).toBe('2')
    await screenshot(page, 'directory-sync-report')
  })

  it('Should show what Microsoft said when consent is refused, and keep waiting', async ({
    expect,
  }) => {
    await page.goto(url('/console/integrations/new/entra-pull'))
    await page.getByLabel('Instance name').fill('Refused directory')
    await page.getByLabel('ActivTrak group (groups parent)').fill('ActivTrak Groups')
    await page.getByRole('button', { name: 'Save, then connect to Microsoft Entra ID' }).click()
    await page.waitForURL(/done=created-consent/)
    await consenter({ decline: true })
    try {
      await page.getByRole('link', { name: 'Connect to Microsoft Entra ID' }).click()
      await page.waitForURL(/\/consent\/callback/)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Consent was not granted'
      )
      expect(await page.getByRole('alert').textContent()).toContain('AADSTS65004')
      await screenshot(page, 'directory-sync-declined')
      await page.getByRole('link', { name: 'Back to the instance' }).click()
      expect(
        await page.getByRole('region', { name: /Microsoft Entra ID/ }).textContent()
      ).toContain('Waiting for consent')
    } finally {
      await consenter({ directoryId: inject('contosoDirectoryId') })
    }
  })
})
