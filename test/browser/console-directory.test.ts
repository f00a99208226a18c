/**
 * The directory pages in real headless Chromium against `wrangler dev`: an owner looks at the
 * user agents and merges a user's two agents, creates a role and tries to delete the default one
 * (the confirmation dialog, then the refusal), and reads and filters the history; with
 * screenshots of each page.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { adminApi, launch, newTenantWithOwner, PASSWORD, screenshot, signIn, url } from './support'

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

/** Contoso's users over SCIM, and agents for them (Tyler has two). */
async function contoso(tenantId: string): Promise<string> {
  const key = await adminApi<{ token: string }>('POST', `/tenants/${tenantId}/keys`, {
    name: 'Entra ID',
  })
  let tyler = ''
  for (const userName of ['tyler@contoso.com', 'uma@contoso.com', 'dana@contoso.com']) {
    const res = await fetch(url('/scim/v2/Users'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${key.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ userName, displayName: userName.split('@')[0] }),
    })
    const body = await res.json<{ id: string }>()
    if (userName.startsWith('tyler')) tyler = body.id
  }
  const agent = (id: string, upn: string) => ({
    id,
    logonName: id,
    domain: 'CONTOSO',
    upn,
    lastSeen: '2026-11-30T10:00:00Z',
  })
  await adminApi('POST', `/tenants/${tenantId}/agents`, {
    agents: [
      agent('tyler-laptop', 'tyler@contoso.com'),
      agent('tyler-desktop', 'tyler@contoso.com'),
      agent('uma-pc', 'uma@contoso.com'),
      agent('kiosk-7', 'kiosk@contoso.com'),
    ],
  })
  return tyler
}

describe('Console directory pages', () => {
  it('Should show user agents, merge two, manage roles and read the history', async ({
    expect,
  }) => {
    const { tenantId, invitation } = await newTenantWithOwner('Contoso Ltd', 'dir@contoso.test')
    const tyler = await contoso(tenantId)
    await page.goto(invitation)
    await page.getByLabel('New password').fill(PASSWORD)
    await page.getByLabel('Repeat the password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.waitForURL(/\/console\/login/)
    await signIn(page, 'dir@contoso.test')

    await page.goto(url('/console/agents'))
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('User agents')
    expect(await page.locator('.stats').textContent()).toContain('Licensed4')
    await screenshot(page, 'agents')

    await page.goto(url(`/console/agents?userId=${tyler}`))
    await page.getByLabel('Select CONTOSO\\tyler-laptop').check()
    await page.getByLabel('Select CONTOSO\\tyler-desktop').check()
    await page.getByLabel('Keep this agent').selectOption('tyler-laptop')
    await screenshot(page, 'agents-merge-select')
    await page.getByRole('button', { name: 'Merge selected agents' }).click()
    await page.waitForURL(/\/console\/agents\/merges\//)
    expect(await page.getByRole('status').first().textContent()).toContain('The agents are merged')
    await screenshot(page, 'agent-merge')

    await page.goto(url('/console/roles'))
    await page.getByLabel('New role name').fill('Editors')
    await page.getByRole('button', { name: 'Create role' }).click()
    await page.waitForURL(/done=created/)
    await page.getByRole('button', { name: 'Delete Content Creator' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.textContent()).toContain('Delete the role "Content Creator"?')
    await screenshot(page, 'roles-delete-confirm')
    await dialog.getByRole('button', { name: 'Delete role' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('default role')
    await screenshot(page, 'roles')

    await page.goto(url('/console/history'))
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(5)
    await screenshot(page, 'history')
    await page.getByLabel('Operation').selectOption('agent.')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/op=agent\./)
    expect(await page.locator('tbody').textContent()).toContain('User agent merged')
    await screenshot(page, 'history-filtered')
  })
})
