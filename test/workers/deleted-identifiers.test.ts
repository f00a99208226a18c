/**
 * The lookup that keeps the pull sync from making a deleted user again: it finds a deleted
 * user by externalId, and by userName whatever the case of its ASCII letters, including names
 * with letters beyond ASCII (which SQLite's `lower()` leaves as they are).
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { regionDb } from '../../src/storage/db'
import { deletedIdentifiers } from '../../src/storage/repos/deletions'
import { createTenant, json, scimClient } from '../support/scim'

describe('Deleted users, looked up by identifier', () => {
  it('Should find a deleted user by externalId and by userName in any ASCII case', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const user = await json(
      await scim.post('/Users', { userName: 'Ödön.Kiss@Contoso.com', externalId: 'entra-1' })
    )
    expect((await scim.del(`/Users/${user.id}`)).status).toBe(204)
    const db = regionDb(env, 'us')
    const found = await deletedIdentifiers(
      db,
      tenant.id,
      ['entra-1', 'entra-2'],
      ['Ödön.Kiss@Contoso.com', 'Ödön.KISS@contoso.COM', 'someone@contoso.com']
    )
    expect(found).toEqual({
      externalIds: new Set(['entra-1']),
      userNames: new Set(['Ödön.Kiss@Contoso.com', 'Ödön.KISS@contoso.COM']),
    })
    // Another tenant's deletions are not this tenant's.
    const other = await createTenant()
    expect(await deletedIdentifiers(db, other.id, ['entra-1'], ['Ödön.Kiss@Contoso.com'])).toEqual({
      externalIds: new Set(),
      userNames: new Set(),
    })
  })
})
