/**
 * The fake Graph's deterministic faults (429/503/504 bursts, every-n throttling, targeted
 * failures, short pages, token lifetime on the fake's clock, tokens dying mid-run) and its
 * control API driven over HTTP.
 */
import { describe, it } from 'vitest'
import { createFakeGraph, type FakeGraph } from '../../fakes/graph/app.ts'
import {
  allPages,
  bodyOf,
  CONTOSO,
  CONTOSO_ID,
  contosoFake,
  deviceId,
  graphGet,
  groupId,
  GROUPS_PARENT,
  ids,
  tokenOf,
  userId,
  type TokenBody,
} from './graph-helpers.ts'

const PATH = `/v1.0/groups/${GROUPS_PARENT}`

async function statuses(fake: FakeGraph, token: string, n: number, path = PATH): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await graphGet(fake, token, path)).status)
  return out
}

describe('fake Graph faults', () => {
  it('Should throttle a burst with Retry-After and the §11 body', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 2, retryAfterSeconds: 7 } })
    const first = await graphGet(fake, token, PATH)
    expect(first.status).toBe(429)
    expect(first.headers.get('Retry-After')).toBe('7')
    expect(first.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded')
    expect((await bodyOf(first)).error?.code).toBe('TooManyRequests')
    expect(await statuses(fake, token, 3)).toEqual([429, 200, 200])
    expect(fake.stats(CONTOSO_ID).byStatus).toEqual({ '200': 2, '429': 2 })
  })

  it('Should throttle every n-th request', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    fake.setFaults(CONTOSO_ID, { throttle: { every: 3, retryAfterSeconds: 1 } })
    expect(await statuses(fake, token, 7)).toEqual([200, 200, 429, 200, 200, 429, 200])
  })

  it.for([
    [503, 4, '4'],
    [504, undefined, null],
  ] as const)(
    'Should answer a %i burst (Retry-After %s)',
    async ([status, retryAfterSeconds, header], { expect }) => {
      const fake = contosoFake()
      const token = await tokenOf(fake)
      const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds }
      fake.setFaults(CONTOSO_ID, { unavailable: { burst: 2, status, ...retry } })
      const res = await graphGet(fake, token, PATH)
      expect(res.status).toBe(status)
      expect(res.headers.get('Retry-After')).toBe(header)
      expect(await statuses(fake, token, 2)).toEqual([status, 200])
    }
  )

  it('Should answer a steady budget per sliding window and say when it frees up', async ({
    expect,
  }) => {
    let now = 1_000_000
    const fake = contosoFake({ now: () => now })
    const token = await tokenOf(fake)
    fake.setFaults(CONTOSO_ID, { budget: { requests: 3, windowSeconds: 10 } })
    expect(await statuses(fake, token, 2)).toEqual([200, 200])
    now += 4_000
    expect(await statuses(fake, token, 2)).toEqual([200, 429])
    const refused = await graphGet(fake, token, PATH)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe('6')
    expect(refused.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded')
    expect((await bodyOf(refused)).error?.code).toBe('TooManyRequests')
    now += 6_000
    expect(await statuses(fake, token, 3)).toEqual([200, 200, 429])
    now += 4_000
    expect(await statuses(fake, token, 2)).toEqual([200, 429])
  })

  it('Should read the budget on a directory clock a test pins', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    fake.setFaults(CONTOSO_ID, { budget: { requests: 1, windowSeconds: 10 } })
    fake.pinClock(CONTOSO_ID, 5_000)
    expect(await statuses(fake, token, 2)).toEqual([200, 429])
    fake.pinClock(CONTOSO_ID, 14_999)
    expect((await graphGet(fake, token, PATH)).headers.get('Retry-After')).toBe('1')
    fake.pinClock(CONTOSO_ID, 15_000)
    expect(await statuses(fake, token, 1)).toEqual([200])
  })

  it('Should fail only matching paths, the given number of times', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    const failPath = { contains: 'transitiveMembers', status: 500, times: 1 }
    fake.setFaults(CONTOSO_ID, { failPath })
    expect(await statuses(fake, token, 1)).toEqual([200])
    const transitive = `${PATH}/transitiveMembers?$select=id`
    expect(await statuses(fake, token, 2, transitive)).toEqual([500, 200])
  })

  it('Should force short pages whatever $top asks for', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    fake.setFaults(CONTOSO_ID, { pageSize: 4 })
    const pages = await allPages(fake, token, '/v1.0/users?$select=id&$top=999')
    expect(pages.map((p) => p.value?.length)).toEqual([4, 4, 4, 4, 1])
  })

  it('Should expire tokens on the fake clock after tokenLifetimeSeconds', async ({ expect }) => {
    let now = 1_000_000
    const fake = contosoFake({ now: () => now })
    fake.setFaults(CONTOSO_ID, { tokenLifetimeSeconds: 60 })
    const token = await tokenOf(fake)
    now += 59_999
    expect(await statuses(fake, token, 1)).toEqual([200])
    now += 1
    const res = await graphGet(fake, token, PATH)
    expect(res.status).toBe(401)
    const message = (await bodyOf(res)).error?.message
    expect(message).toBe('Lifetime validation failed, the token is expired.')
  })

  it('Should reject a token once used for expireTokensAfterRequests calls', async ({ expect }) => {
    const fake = contosoFake()
    fake.setFaults(CONTOSO_ID, { expireTokensAfterRequests: 2 })
    const token = await tokenOf(fake)
    expect(await statuses(fake, token, 3)).toEqual([200, 200, 401])
    expect(await statuses(fake, await tokenOf(fake), 1)).toEqual([200])
  })

  it('Should refuse faults it does not understand', ({ expect }) => {
    const fake = contosoFake()
    expect(() => fake.setFaults(CONTOSO_ID, { pageSize: 1000 })).toThrow()
    expect(() => fake.setFaults('unknown', {})).toThrow('The fake Graph has no directory unknown')
  })
})

function control(fake: FakeGraph, method: string, path: string, body?: unknown): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return fake.fetch(
    new Request(`http://127.0.0.1:8788/_fake${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: text }),
    })
  )
}

const json = async <T>(response: Promise<Response>): Promise<T> => await (await response).json<T>()

describe('fake Graph control API', () => {
  it('Should load, read back, change, fault, count and delete over HTTP', async ({ expect }) => {
    const fake = createFakeGraph()
    const dir = `/directories/${CONTOSO_ID}`
    const put = await control(fake, 'PUT', dir, CONTOSO)
    expect(put.status).toBe(201)
    expect(await put.json()).toEqual({ directoryId: CONTOSO_ID, users: 17, groups: 16 })
    const fixture = await json<{ groups: Array<{ displayName: string }> }>(
      control(fake, 'GET', dir)
    )
    expect(fixture.groups[13]?.displayName).toBe("O'Brien's Team")
    const commands = [
      { op: 'renameGroup', groupId: groupId(3), displayName: 'Sales Europe' },
      { op: 'addMember', groupId: groupId(3), member: userId(5) },
      { op: 'removeUser', userId: userId(4) },
    ]
    expect(await json(control(fake, 'PATCH', dir, { commands }))).toEqual({ applied: 3 })
    const token = await tokenOf(fake)
    const members = `/v1.0/groups/${groupId(3)}/transitiveMembers?$select=id`
    expect(ids([await bodyOf(await graphGet(fake, token, members))])).toEqual([
      userId(3),
      groupId(4),
      userId(5),
      userId(17),
      deviceId(1),
    ])
    const renamed = await bodyOf(await graphGet(fake, token, `/v1.0/groups/${groupId(3)}`))
    expect(renamed['displayName']).toBe('Sales Europe')
    const faults = { throttle: { burst: 1, retryAfterSeconds: 2 } }
    expect((await control(fake, 'PUT', `${dir}/faults`, faults)).status).toBe(200)
    expect((await graphGet(fake, token, PATH)).status).toBe(429)
    expect(await json(control(fake, 'GET', `${dir}/stats`))).toMatchObject({
      tokenRequests: 1,
      byStatus: { '200': 2, '429': 1 },
    })
    expect((await control(fake, 'DELETE', dir)).status).toBe(204)
    expect((await graphGet(fake, token, PATH)).status).toBe(401)
    expect((await control(fake, 'GET', dir)).status).toBe(404)
  })

  it.for([
    [
      'PATCH',
      { commands: [{ op: 'addMember', groupId: groupId(7), member: groupId(2) }] },
      `commands[0] (addMember): Cannot add member to group ${groupId(7)}: Microsoft 365 groups can contain only users`,
    ],
    [
      'PATCH',
      { commands: [{ op: 'removeMember', groupId: groupId(2), memberId: userId(9) }] },
      'is not a direct member',
    ],
    ['PATCH', { commands: [{ op: 'explode' }] }, 'commands.0.op'],
    ['PUT', { clientId: 'x' }, 'Invalid Graph fixture: clientSecret'],
    ['PUT', 'not json', 'The body is not valid JSON'],
  ] as const)(
    'Should answer a bad %s with 400 naming the problem',
    async ([method, body, message], { expect }) => {
      const res = await control(contosoFake(), method, `/directories/${CONTOSO_ID}`, body)
      expect(res.status).toBe(400)
      expect((await res.json<{ error: string }>()).error).toContain(message)
    }
  )

  it("Should pin a directory's clock over HTTP", async ({ expect }) => {
    const fake = contosoFake()
    const clock = `/directories/${CONTOSO_ID}/clock`
    expect(await json(control(fake, 'PUT', clock, { atMs: 42 }))).toEqual({ pinnedAtMs: 42 })
    expect(await json(control(fake, 'PUT', clock, { atMs: null }))).toEqual({ pinnedAtMs: null })
    expect((await control(fake, 'PUT', clock, { atMs: -1 })).status).toBe(400)
    expect((await control(fake, 'PUT', '/directories/unknown/clock', { atMs: 1 })).status).toBe(404)
  })

  it('Should advance the clock and reset everything', async ({ expect }) => {
    const fake = contosoFake({ now: () => 0 })
    fake.setFaults(CONTOSO_ID, { tokenLifetimeSeconds: 10 })
    const token = await tokenOf(fake)
    const clock = await json(control(fake, 'POST', '/clock', { advanceMs: 10_000 }))
    expect(clock).toEqual({ clockOffsetMs: 10_000 })
    expect((await graphGet(fake, token, PATH)).status).toBe(401)
    expect((await control(fake, 'POST', '/reset')).status).toBe(204)
    const tokenUrl = `http://127.0.0.1:8788/${CONTOSO_ID}/oauth2/v2.0/token`
    const body = await json<TokenBody>(fake.fetch(new Request(tokenUrl, { method: 'POST' })))
    expect(body.error_codes).toEqual([90002])
  })
})
