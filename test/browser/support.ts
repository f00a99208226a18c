/**
 * Helpers of the browser tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the admin API of the running server, and screenshots of every step.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'

export const PASSWORD = 'correct horse battery staple'
/**
 * Every run saves its screenshots in .screenshots/ (ignored by git); `npm run screenshots`
 * writes them to docs/screenshots/, where the README shows them.
 */
const SCREENSHOTS = join(
  import.meta.dirname,
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots' : '../../.screenshots'
)

/** Chromium from Debian's package (or CHROMIUM_PATH), headless, with no background traffic. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export const url = (path: string): string => `${inject('baseUrl')}${path}`

/** Calls the admin API of the server under test. */
export async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url(`/admin/v1${path}`), {
    method,
    headers: {
      Authorization: `Bearer ${inject('adminToken')}`,
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${String(res.status)} ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

/** A new tenant and the invitation link of its first owner. */
export async function newTenantWithOwner(
  name: string,
  email: string
): Promise<{ tenantId: string; invitation: string }> {
  const tenant = await adminApi<{ id: string }>('POST', '/tenants', { name, region: 'us' })
  const invited = await adminApi<{ invitation: { url: string } }>(
    'POST',
    `/tenants/${tenant.id}/admins`,
    { email, name: 'Olivia Owner', role: 'owner' }
  )
  return { tenantId: tenant.id, invitation: invited.invitation.url }
}

/** Saves a full-page screenshot as <name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Signs in on the sign-in page with the given account. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto(url('/console/login'))
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/console/login'))
}

/** A new tenant whose owner accepted the invitation and is signed in on `page`. */
export async function signedInOwner(page: Page, tenantName: string, email: string) {
  const { tenantId, invitation } = await newTenantWithOwner(tenantName, email)
  await page.goto(invitation)
  await page.getByLabel('New password').fill(PASSWORD)
  await page.getByLabel('Repeat the password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Set password' }).click()
  await page.waitForURL(/\/console\/login/)
  await signIn(page, email)
  return { tenantId }
}

/** Calls the SCIM endpoint of the server under test with a key, as an identity provider would. */
export async function scim(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url(`/scim/v2${path}`), {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> }
}
