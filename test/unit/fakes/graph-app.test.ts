/**
 * The fake Graph's wire shapes against docs/graph-sync.md: token success and AADSTS errors
 * (§1, §11), Graph errors with request ids, $select and default properties (§4), $top limits and
 * paging with nextLink/$skiptoken and @odata.count.
 */
import { describe, it } from 'vitest'
import {
  allPages,
  bodyOf,
  CONTOSO_ID,
  contosoFake,
  EVENTUAL,
  graphGet,
  GROUPS_PARENT,
  ids,
  requestToken,
  tokenOf,
  userId,
  type TokenBody,
} from './graph-helpers.ts'

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5)
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/
const OTHER_DIRECTORY = '99999999-9999-4999-8999-999999999999'

describe('fake token endpoint', () => {
  it('Should issue a bearer token with expires_in and ext_expires_in', async ({ expect }) => {
    const res = await requestToken(contosoFake({ now: () => NOW }))
    expect(res.status).toBe(200)
    const body = await res.json<TokenBody>()
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ])
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 })
    expect(body.access_token).toMatch(/^fakegraph\./)
  })

  it.for([
    ['wrong secret', CONTOSO_ID, { client_secret: 'nope' }, 401, 'invalid_client', 7000215],
    ['no secret', CONTOSO_ID, { client_secret: undefined }, 401, 'invalid_client', 7000216],
    ['unknown directory', OTHER_DIRECTORY, {}, 400, 'invalid_request', 90002],
    ['unknown client', CONTOSO_ID, { client_id: 'other' }, 400, 'unauthorized_client', 700016],
    ['wrong scope', CONTOSO_ID, { scope: 'User.Read' }, 400, 'invalid_scope', 1002012],
    ['no grant_type', CONTOSO_ID, { grant_type: undefined }, 400, 'invalid_request', 900144],
    ['other grant', CONTOSO_ID, { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
  ] as const)(
    'Should answer %s with the v2.0 error shape',
    async ([, directoryId, overrides, status, error, code], { expect }) => {
      const res = await requestToken(contosoFake({ now: () => NOW }), directoryId, overrides)
      expect(res.status).toBe(status)
      const body = await res.json<TokenBody>()
      expect(body).toMatchObject({ error, error_codes: [code], timestamp: '2025-01-02 03:04:05Z' })
      expect(body.error_description).toMatch(new RegExp(`^AADSTS${String(code)}: `))
      expect(body.trace_id).toMatch(GUID)
      expect(body.correlation_id).toMatch(GUID)
    }
  )

  it('Should count token requests in the directory stats', async ({ expect }) => {
    const fake = contosoFake()
    await requestToken(fake)
    await requestToken(fake, CONTOSO_ID, { client_secret: 'bad' })
    expect(fake.stats(CONTOSO_ID)).toMatchObject({
      tokenRequests: 2,
      tokensIssued: 1,
      graphRequests: 0,
    })
  })
})

describe('fake Graph errors and request ids', () => {
  it.for([
    ['no header', undefined, 'Access token is empty.'],
    ['unknown token', 'made-up', 'Lifetime validation failed, the token is expired.'],
  ] as const)(
    'Should answer %s with 401 InvalidAuthenticationToken',
    async ([, token, message], { expect }) => {
      const fake = contosoFake({ now: () => NOW })
      const res = await graphGet(fake, token, `/v1.0/groups/${GROUPS_PARENT}`)
      expect(res.status).toBe(401)
      const requestId = res.headers.get('request-id')
      expect(requestId).toMatch(GUID)
      expect((await bodyOf(res)).error).toEqual({
        code: 'InvalidAuthenticationToken',
        message,
        innerError: {
          date: '2025-01-02T03:04:05',
          'request-id': requestId,
          'client-request-id': requestId,
        },
      })
    }
  )

  it('Should send request-id and echo client-request-id on success', async ({ expect }) => {
    const fake = contosoFake()
    const res = await graphGet(fake, await tokenOf(fake), `/v1.0/groups/${GROUPS_PARENT}`, {
      'client-request-id': 'abc',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('request-id')).toMatch(GUID)
    expect(res.headers.get('client-request-id')).toBe('abc')
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json;odata\.metadata=minimal/)
  })

  it.for([
    ['/v1.0/groups/00000000-0000-4000-8000-000000000000', 404, 'Request_ResourceNotFound'],
    ['/v1.0/users/nobody@contoso.com', 404, 'Request_ResourceNotFound'],
    [`/v1.0/groups/${GROUPS_PARENT}/owners`, 400, 'Request_BadRequest'],
    ['/v1.0/devices', 400, 'Request_BadRequest'],
    [`/v1.0/groups?$filter=startsWith(displayName,'A')`, 400, 'Request_UnsupportedQuery'],
    [`/v1.0/groups?$orderby=displayName`, 400, 'Request_UnsupportedQuery'],
    [`/v1.0/users?$select=id,nickname`, 400, 'Request_BadRequest'],
    [`/v1.0/groups?$count=true`, 400, 'Request_BadRequest'],
  ] as const)('Should answer GET %s with %i %s', async ([path, status, code], { expect }) => {
    const fake = contosoFake()
    const res = await graphGet(fake, await tokenOf(fake), path)
    expect(res.status).toBe(status)
    const body = await bodyOf(res)
    expect(body.error?.code).toBe(code)
    expect(body.error?.innerError?.['request-id']).toBe(res.headers.get('request-id'))
  })
})

describe('fake Graph $select, $top and paging', () => {
  it('Should return only the selected properties (plus id) of a user', async ({ expect }) => {
    const fake = contosoFake()
    const path = `/v1.0/users/${userId(1)}?$select=employeeId,accountEnabled`
    expect(await bodyOf(await graphGet(fake, await tokenOf(fake), path))).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: userId(1),
      employeeId: 'E1001',
      accountEnabled: true,
    })
  })

  it('Should leave employeeId out of the default user properties (§4)', async ({ expect }) => {
    const fake = contosoFake()
    const path = '/v1.0/users/AdeleV@contoso.com'
    const body = await bodyOf(await graphGet(fake, await tokenOf(fake), path))
    expect(Object.keys(body).sort()).toEqual([
      '@odata.context',
      'businessPhones',
      'displayName',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
    ])
  })

  it.for(['0', '1000', 'ten', '-1'])('Should refuse $top=%s with 400', async (top, { expect }) => {
    const fake = contosoFake()
    const res = await graphGet(fake, await tokenOf(fake), `/v1.0/users?$top=${top}`)
    expect(res.status).toBe(400)
    expect((await bodyOf(res)).error).toMatchObject({
      code: 'Request_BadRequest',
      message: `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    })
  })

  it('Should page 17 users by 100 by default and by $top', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    expect(await allPages(fake, token, '/v1.0/users?$select=id')).toHaveLength(1)
    const pages = await allPages(fake, token, '/v1.0/users?$select=id&$top=5')
    expect(pages.map((p) => p.value?.length)).toEqual([5, 5, 5, 2])
    expect(ids(pages)).toEqual(Array.from({ length: 17 }, (_, i) => userId(i + 1)))
  })

  it('Should give an absolute nextLink and @odata.count on page 1 only', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    const collection = `/v1.0/groups/${GROUPS_PARENT}/transitiveMembers/microsoft.graph.user`
    const first = `${collection}?$select=id&$top=6&$count=true`
    const pages = await allPages(fake, token, first, EVENTUAL)
    expect(pages.map((p) => p['@odata.count'])).toEqual([15, undefined, undefined])
    const next = new URL(pages[0]?.['@odata.nextLink'] ?? '')
    expect(next.origin).toBe('https://graph.microsoft.com')
    expect(next.pathname).toBe(collection)
    expect(next.searchParams.get('$skiptoken')).toMatch(/^RFNwdAIA/)
    expect(next.searchParams.get('$top')).toBe('6')
    expect(pages[2]?.['@odata.nextLink']).toBeUndefined()
    expect(new Set(ids(pages)).size).toBe(15)
  })

  it('Should refuse a $skiptoken minted for another collection', async ({ expect }) => {
    const fake = contosoFake()
    const token = await tokenOf(fake)
    const first = await bodyOf(await graphGet(fake, token, '/v1.0/users?$top=2'))
    const skip = new URL(first['@odata.nextLink'] ?? '').searchParams.get('$skiptoken') ?? ''
    const res = await graphGet(fake, token, `/v1.0/groups?$skiptoken=${skip}`)
    expect(res.status).toBe(400)
    expect((await bodyOf(res)).error?.message).toContain("for the query option '$skiptoken'")
  })
})
