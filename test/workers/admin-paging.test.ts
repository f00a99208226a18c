/**
 * Paging of the admin and agent API lists: bad `limit`, a cursor of the wrong shape for the list
 * it pages, and paging parameters of other APIs answer 400 naming the parameter, never a silent
 * first page; good cursors keep paging.
 */
import { beforeAll, describe, it } from 'vitest'
import { reportAgents } from '../support/directory'
import { admin, call, createTenant, scimClient, type TestTenant } from '../support/scim'

interface Page {
  nextCursor: string | null
  [list: string]: unknown
}

describe('Admin list paging', () => {
  let tenant: TestTenant
  beforeAll(async () => {
    tenant = await createTenant()
    const scim = scimClient(tenant)
    for (const name of ['a', 'b', 'c']) {
      const res = await scim.post('/Users', {
        userName: `${name}@example.com`,
        // tracking=false puts each user on the Do Not Track list.
        'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User': { tracking: false },
      })
      if (res.status !== 201) throw new Error(await res.text())
    }
    await reportAgents(tenant.id, [{ id: 'agent-1' }, { id: 'agent-2' }, { id: 'agent-3' }])
  })

  const list = (path: string) => admin('GET', `/tenants/${tenant.id}${path}`)

  it.for<[string, string]>([
    ['/users?limit=0', 'limit: must be a whole number from 1 to 1000, not "0"'],
    ['/users?limit=abc', 'limit: must be a whole number from 1 to 1000, not "abc"'],
    ['/users?limit=100000', 'limit: must be a whole number from 1 to 1000, not "100000"'],
    ['/agents?limit=1.5', 'limit: must be a whole number from 1 to 1000, not "1.5"'],
    ['/history?limit=', 'limit: must be a whole number from 1 to 1000, not ""'],
    ['/dnt?limit=-1', 'limit: must be a whole number from 1 to 1000, not "-1"'],
    ['/users?limit=1&limit=2', 'limit: must be given once'],
    ['/users?cursor=zzz', 'cursor: "zzz" is not a cursor of this list'],
    ['/users?cursor=', 'cursor: must be the nextCursor of the previous page'],
    ['/groups?cursor=bm9wZQ', 'cursor: "bm9wZQ" is not a cursor of this list'],
    ['/dnt?cursor=agent-1', 'cursor: "agent-1" is not an id of this list (a UUID)'],
    ['/history?cursor=0190-nope', 'cursor: "0190-nope" is not an id of this list (a UUID)'],
    ['/deletions?cursor=1', 'cursor: "1" is not an id of this list (a UUID)'],
    [`/agents?cursor=${'x'.repeat(201)}`, 'is not an agent id'],
    ['/agents?cursor=%20agent-1', 'cursor: " agent-1" is not an agent id'],
    ['/history?offset=100', 'offset is not supported: lists page with limit and cursor'],
    ['/users?page=2', 'page is not supported: lists page with limit and cursor'],
    ['/agents?startIndex=3', 'startIndex is not supported: lists page with limit and cursor'],
  ])('Should answer GET …%s with 400', async ([path, message], { expect }) => {
    const res = await list(path)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: { status: 400, message: expect.stringContaining(message) as unknown },
    })
  })

  it('Should tell how to go on from a malformed cursor', async ({ expect }) => {
    const body = await (await list('/dnt?cursor=zzz')).json<{ error: { message: string } }>()
    expect(body.error.message).toBe(
      'Invalid query: cursor: "zzz" is not an id of this list (a UUID); pass the nextCursor of ' +
        'the previous page, or no cursor for the first page'
    )
    const users = await (await list('/users?cursor=zzz')).json<{ error: { message: string } }>()
    expect(users.error.message).toBe(
      'cursor: "zzz" is not a cursor of this list; pass the nextCursor of the previous page, or ' +
        'no cursor for the first page'
    )
  })

  it.for<[string, string]>([
    ['/users', 'users'],
    ['/dnt', 'entries'],
    ['/history', 'entries'],
    ['/agents', 'agents'],
  ])('Should page %s with the nextCursor it gives', async ([path, key], { expect }) => {
    const all = await (await list(path)).json<Page>()
    const total = (all[key] as unknown[]).length
    expect(total).toBeGreaterThanOrEqual(3)
    const first = await (await list(`${path}?limit=2`)).json<Page>()
    expect(first.nextCursor).toEqual(expect.any(String))
    const rest = await (
      await list(`${path}?limit=1000&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
    ).json<Page>()
    expect([...(first[key] as unknown[]), ...(rest[key] as unknown[])]).toEqual(all[key])
  })

  it('Should check paging on the agent API too', async ({ expect }) => {
    const key = await (
      await admin('POST', `/tenants/${tenant.id}/keys`, { name: 'agents', scope: 'agent' })
    ).json<{ token: string }>()
    const headers = { Authorization: `Bearer ${key.token}` }
    const bad = await call('/agent/v1/agents?limit=abc', { headers })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      error: {
        status: 400,
        message: 'Invalid query: limit: must be a whole number from 1 to 1000, not "abc"',
      },
    })
    const ok = await (
      await call('/agent/v1/agents?limit=2&cursor=agent-1', { headers })
    ).json<{
      agents: { id: string }[]
    }>()
    expect(ok.agents.map((a) => a.id)).toEqual(['agent-2', 'agent-3'])
  })
})
