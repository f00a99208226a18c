/**
 * The Graph client's failures: 429/503/504 retried inline within the budget (Retry-After
 * honoured, exponential back-off otherwise), then throttled/unavailable with retryAfterMs;
 * credentials failures naming the wrong setting or the missing permission; 401 handling;
 * notFound; and badResponse for bodies and URLs it will not accept.
 */
import { describe, it } from 'vitest'
import { createGraphClient } from '../../../src/graph/client.ts'
import { retryDelayMs } from '../../../src/graph/http.ts'
import { setPermissions } from '../../fakes/graph/mutations.ts'
import { CONTOSO_CLIENT_ID, CONTOSO_ID, groupId, GROUPS_PARENT } from '../fakes/graph-helpers.ts'
import { CREDENTIALS, failureOf, harness, SETTINGS, START } from './client-setup.ts'

const OTHER_DIRECTORY = '99999999-9999-4999-8999-999999999999'

describe('inline retries', () => {
  it('Should honour Retry-After on a 429 burst and then succeed', async ({ expect }) => {
    const { client, fake, sleeps } = harness()
    await client.getGroup(GROUPS_PARENT)
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 2, retryAfterSeconds: 7 } })
    expect((await client.getGroup(GROUPS_PARENT)).id).toBe(GROUPS_PARENT)
    expect(sleeps).toEqual([7000, 7000])
    expect(client.requestsMade).toBe(4)
  })

  it('Should give up as throttled with retryAfterMs once retries are spent', async ({ expect }) => {
    const { client, fake, sleeps } = harness()
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 10, retryAfterSeconds: 7 } })
    const url = client.firstPageUrl('childGroups', GROUPS_PARENT)
    const failure = await failureOf(client.getGroupsPage(url))
    expect(failure).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 7000,
      status: 429,
      code: 'TooManyRequests',
    })
    expect(failure.requestId).toMatch(/^e9a00000-0000-4000-8000-[0-9a-f]{12}$/)
    expect(sleeps).toEqual([7000, 7000, 7000])
    expect(client.requestsMade).toBe(4)
  })

  it('Should not sleep a Retry-After longer than maxInlineWaitMs', async ({ expect }) => {
    const { client, fake, sleeps } = harness()
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 1, retryAfterSeconds: 120 } })
    expect(await failureOf(client.getGroup(GROUPS_PARENT))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 120_000,
    })
    expect(sleeps).toEqual([])
  })

  it("Should stop sleeping inline once the client's total is spent", async ({ expect }) => {
    const { client, fake, sleeps } = harness({ settings: { maxInlineWaitTotalMs: 2_500 } })
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 2, retryAfterSeconds: 1 } })
    expect((await client.getGroup(GROUPS_PARENT)).id).toBe(GROUPS_PARENT)
    expect(sleeps).toEqual([1000, 1000])
    fake.setFaults(CONTOSO_ID, { throttle: { burst: 1, retryAfterSeconds: 1 } })
    expect(await failureOf(client.getGroup(GROUPS_PARENT))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 1000,
    })
    expect(sleeps).toEqual([1000, 1000])
    // Another client (the next sync step) starts with the whole total again.
    const next = harness({ settings: { maxInlineWaitTotalMs: 2_500 } })
    next.fake.setFaults(CONTOSO_ID, { throttle: { burst: 1, retryAfterSeconds: 1 } })
    expect((await next.client.getGroup(GROUPS_PARENT)).id).toBe(GROUPS_PARENT)
    expect(next.sleeps).toEqual([1000])
  })

  it.for([
    [503, undefined, 2, [1000, 2000]],
    [504, 2, 1, [2000]],
    [503, 0, 3, [0, 0, 0]],
  ] as const)(
    'Should retry %i (Retry-After %s) x%i',
    async ([status, retryAfterSeconds, burst, expected], { expect }) => {
      const { client, fake, sleeps } = harness()
      const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds }
      fake.setFaults(CONTOSO_ID, { unavailable: { burst, status, ...retry } })
      expect(await client.findGroupsByDisplayName('Finance')).toHaveLength(2)
      expect(sleeps).toEqual(expected)
    }
  )

  it('Should give up as unavailable after exponential back-off', async ({ expect }) => {
    const { client, fake, sleeps } = harness()
    fake.setFaults(CONTOSO_ID, { unavailable: { burst: 9, status: 503 } })
    const failure = await failureOf(client.getGroup(GROUPS_PARENT))
    expect(failure).toMatchObject({ kind: 'unavailable', retryAfterMs: 8000, status: 503 })
    expect(sleeps).toEqual([1000, 2000, 4000])
  })

  it('Should treat network errors as unavailable', async ({ expect }) => {
    const client = createGraphClient(SETTINGS, CREDENTIALS, {
      fetch: () => Promise.reject(new TypeError('fetch failed')),
      now: () => START,
      sleep: () => Promise.resolve(),
    })
    const failure = await failureOf(client.getGroup(GROUPS_PARENT))
    expect(failure).toMatchObject({ kind: 'unavailable', retryAfterMs: 8000, status: undefined })
    expect(failure.message).toBe(
      `Microsoft Graph could not be reached for the token request for directory ${CONTOSO_ID}; retry after 8000 ms`
    )
  })

  it.for([
    ['7', 0, 7000],
    [' 0 ', 0, 0],
    [null, 0, 1000],
    [null, 2, 4000],
    [null, 10, 60_000],
    ['soon', 1, 2000],
    [new Date(START + 5000).toUTCString(), 0, 5000],
    [new Date(START - 5000).toUTCString(), 0, 0],
  ] as const)(
    'Should wait for Retry-After %s on retry %i: %i ms',
    ([header, attempt, expected], { expect }) => {
      expect(retryDelayMs(header, attempt, START)).toBe(expected)
    }
  )
})

describe('credentials failures', () => {
  it.for([
    [
      'a wrong secret',
      { clientSecret: 'old' },
      401,
      `Microsoft Entra rejected the client secret (AADSTS7000215): the secret is wrong or expired; create a new secret for application ${CONTOSO_CLIENT_ID} and update the instance`,
    ],
    [
      'an unknown client id',
      { clientId: 'other-app' },
      400,
      `Microsoft Entra does not know application other-app in directory ${CONTOSO_ID} (AADSTS700016): check the client (application) id of the instance and that an administrator of that directory granted admin consent`,
    ],
    [
      'an unknown directory',
      { directoryId: OTHER_DIRECTORY },
      400,
      `Microsoft Entra does not know the directory (tenant) ${OTHER_DIRECTORY} (AADSTS90002): check the directory id of the instance`,
    ],
  ] as const)(
    'Should name the setting behind %s',
    async ([, credentials, status, message], { expect }) => {
      const { client } = harness({ credentials })
      const failure = await failureOf(client.findGroupsByDisplayName('ActivTrak Groups'))
      expect(failure).toMatchObject({ kind: 'credentials', status, message })
      expect(client.requestsMade).toBe(0)
    }
  )

  it('Should name the permission a 403 lacks', async ({ expect }) => {
    const { client, fake } = harness()
    setPermissions(fake.directory(CONTOSO_ID), ['User.Read.All'])
    expect(await failureOf(client.findGroupsByDisplayName('ActivTrak Groups'))).toMatchObject({
      kind: 'credentials',
      status: 403,
      code: 'Authorization_RequestDenied',
      message:
        'Graph denied GET /groups (403 Authorization_RequestDenied): grant the application permission GroupMember.Read.All (or Group.Read.All) with admin consent',
    })
    const url = client.firstPageUrl('transitiveUsers', GROUPS_PARENT)
    const failure = await failureOf(client.getUsersPage(url))
    expect(failure.message).toBe(
      `Graph denied GET /groups/${GROUPS_PARENT}/transitiveMembers/microsoft.graph.user (403 Authorization_RequestDenied): grant the application permission GroupMember.Read.All (and User.Read.All) with admin consent`
    )
  })

  it.for(['transitiveUsers', 'directMembers'] as const)(
    'Should refuse limited-information users from %s and ask for User.Read.All',
    async (kind, { expect }) => {
      const { client, fake } = harness()
      setPermissions(fake.directory(CONTOSO_ID), ['GroupMember.Read.All'])
      const url = client.firstPageUrl(kind, groupId(2))
      const page =
        kind === 'transitiveUsers' ? client.getUsersPage(url) : client.getDirectoryObjectsPage(url)
      const failure = await failureOf(page)
      expect(failure.kind).toBe('credentials')
      expect(failure.message).toContain(
        'without their properties (limited-information form): grant the application permission User.Read.All'
      )
    }
  )

  it('Should renew a rejected cached token once and carry on', async ({ expect }) => {
    const { client, fake } = harness()
    await client.getGroup(GROUPS_PARENT)
    fake.setFaults(CONTOSO_ID, { failPath: { contains: '/groups/', status: 401, times: 1 } })
    expect((await client.getGroup(groupId(2))).displayName).toBe('Sales')
    expect([client.tokenRequestsMade, client.requestsMade]).toEqual([2, 3])
  })

  it('Should fail as credentials when a renewed token is rejected too', async ({ expect }) => {
    const { client, fake } = harness()
    await client.getGroup(GROUPS_PARENT)
    fake.setFaults(CONTOSO_ID, { failPath: { contains: '/groups/', status: 401, times: 5 } })
    const failure = await failureOf(client.getGroup(groupId(2)))
    expect(failure).toMatchObject({ kind: 'credentials', status: 401 })
    expect(failure.message).toBe(
      `Graph rejected a freshly issued token for GET /groups/${groupId(2)} (401 InvalidAuthenticationToken): check that application ${CONTOSO_CLIENT_ID} has admin consent in directory ${CONTOSO_ID}`
    )
    expect([client.tokenRequestsMade, client.requestsMade]).toEqual([2, 3])
  })

  it('Should not renew a token it has just obtained', async ({ expect }) => {
    const { client, fake } = harness()
    fake.setFaults(CONTOSO_ID, { failPath: { contains: '/groups/', status: 401, times: 5 } })
    expect((await failureOf(client.getGroup(groupId(2)))).kind).toBe('credentials')
    expect([client.tokenRequestsMade, client.requestsMade]).toEqual([1, 1])
  })
})

describe('other failures', () => {
  it('Should report a deleted group as notFound', async ({ expect }) => {
    const { client } = harness()
    const gone = '00000000-0000-4000-8000-000000000000'
    expect(await failureOf(client.getGroup(gone))).toMatchObject({
      kind: 'notFound',
      status: 404,
      code: 'Request_ResourceNotFound',
    })
    const failure = await failureOf(client.getGroupsPage(client.firstPageUrl('childGroups', gone)))
    expect(failure.message).toBe(
      `Graph has no object at GET /groups/${gone}/members/microsoft.graph.group (404 Request_ResourceNotFound): it was deleted or the saved id is wrong`
    )
  })

  it('Should refuse to send the token to another origin', async ({ expect }) => {
    const { client } = harness()
    const evil = 'https://evil.example/v1.0/users?$skiptoken=x'
    expect(await failureOf(client.getUsersPage(evil))).toMatchObject({
      kind: 'badResponse',
      message: `Refusing to call ${evil}: it is not on https://graph.microsoft.com`,
    })
    expect([client.requestsMade, client.tokenRequestsMade]).toEqual([0, 0])
  })

  it('Should report a 400 as badResponse with Graph’s message', async ({ expect }) => {
    const { client } = harness()
    const failure = await failureOf(
      client.getUsersPage('https://graph.microsoft.com/v1.0/users?$top=1000')
    )
    expect(failure).toMatchObject({
      kind: 'badResponse',
      status: 400,
      message:
        "Graph answered GET /users (400 Request_BadRequest): Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    })
  })

  it('Should report a body that does not match the schema as badResponse', async ({ expect }) => {
    const { fake } = harness()
    const client = createGraphClient(SETTINGS, CREDENTIALS, {
      fetch: async (request) =>
        request.url.includes('/oauth2/')
          ? fake.fetch(request)
          : new Response(JSON.stringify({ value: [{ displayName: 'no id' }] })),
      now: () => START,
      sleep: () => Promise.resolve(),
    })
    const url = client.firstPageUrl('childGroups', GROUPS_PARENT)
    expect(await failureOf(client.getGroupsPage(url))).toMatchObject({
      kind: 'badResponse',
      status: 200,
      message: `Graph returned an unexpected body for GET /groups/${GROUPS_PARENT}/members/microsoft.graph.group: value.0.id: Invalid input: expected string, received undefined`,
    })
  })
})
