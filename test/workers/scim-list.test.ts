/**
 * Listing and searching: filters compiled to SQL, index and cursor paging, sorting, projection.
 */
import { beforeAll, describe, it } from 'vitest'
import { createTenant, json, scimClient, type ScimClient } from '../support/scim'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'

const people = [
  {
    userName: 'alice@example.com',
    displayName: 'Alice',
    title: 'Engineer',
    active: true,
    dept: 'R&D',
    upn: 'alice@corp.example.com',
    phone: '+1 555 0100',
  },
  {
    userName: 'bob@example.com',
    displayName: 'Bob',
    title: 'Manager',
    active: false,
    dept: 'Sales',
    upn: 'bob@corp.example.com',
    phone: '+1 555 0101',
  },
  {
    userName: 'carol@example.org',
    displayName: 'Carol',
    title: 'Engineer',
    active: true,
    dept: 'Sales',
    upn: 'carol@corp.example.com',
    phone: '+44 20 7946 0000',
  },
  {
    userName: 'Dave@Example.org',
    displayName: 'Dave',
    title: 'Director',
    active: true,
    dept: 'R&D',
    upn: 'dave@corp.example.com',
    phone: '+1 555 0103',
  },
]

describe('Listing users', () => {
  let scim: ScimClient
  const ids = new Map<string, string>()

  beforeAll(async () => {
    scim = scimClient(await createTenant())
    for (const p of people) {
      const res = await scim.post('/Users', {
        userName: p.userName,
        displayName: p.displayName,
        title: p.title,
        active: p.active,
        password: 'secret-never-returned',
        emails: [
          { value: p.userName, type: 'work', primary: true },
          { value: `${p.displayName}@home.example`, type: 'home' },
        ],
        phoneNumbers: [{ value: p.phone, type: 'work' }],
        [ENTERPRISE]: { department: p.dept, employeeNumber: `E-${p.displayName}` },
        [ACTIVTRAK]: { userPrincipalNames: [{ value: p.upn }], tracking: true },
      })
      ids.set(p.displayName, (await json(res)).id)
    }
  })

  const names = async (query: string) => {
    const res = await scim.get(`/Users?${query}`)
    const body = await json(res)
    if (res.status !== 200)
      throw new Error(`${query}: ${String(res.status)} ${JSON.stringify(body)}`)
    return body.Resources.map((r) => r.displayName)
  }
  const filtered = (filter: string, extra = '') =>
    names(`filter=${encodeURIComponent(filter)}${extra}`)

  it.for<[string, string[]]>([
    ['userName eq "ALICE@EXAMPLE.COM"', ['Alice']],
    ['userName ne "alice@example.com"', ['Bob', 'Carol', 'Dave']],
    ['userName co "EXAMPLE.ORG"', ['Carol', 'Dave']],
    ['userName sw "b"', ['Bob']],
    ['userName ew ".org"', ['Carol', 'Dave']],
    ['userName gt "c"', ['Carol', 'Dave']],
    ['userName le "bob@example.com"', ['Alice', 'Bob']],
    ['title pr', ['Alice', 'Bob', 'Carol', 'Dave']],
    ['nickName pr', []],
    ['active eq false', ['Bob']],
    ['active eq "True"', ['Alice', 'Carol', 'Dave']],
    ['title eq "engineer" and active eq true', ['Alice', 'Carol']],
    ['title eq "Manager" or title eq "Director"', ['Bob', 'Dave']],
    ['not (title eq "Engineer")', ['Bob', 'Dave']],
    ['(title eq "Engineer" or title eq "Manager") and not (userName ew ".org")', ['Alice', 'Bob']],
    ['emails[type eq "work" and value co "example.org"]', ['Carol', 'Dave']],
    ['emails[type eq "home"].value eq "bob@home.example"', ['Bob']],
    ['emails.value eq "carol@home.example"', ['Carol']],
    ['emails co "@example.com"', ['Alice', 'Bob']],
    ['phoneNumbers.value sw "+44"', ['Carol']],
    ['phoneNumbers[type eq "work" and value ew "0103"]', ['Dave']],
    [`${ENTERPRISE}:department eq "r&d"`, ['Alice', 'Dave']],
    [`${ENTERPRISE}:employeeNumber eq "e-bob"`, ['Bob']],
    [`${ACTIVTRAK}:userPrincipalNames.value eq "CAROL@corp.example.com"`, ['Carol']],
    [`${ACTIVTRAK}:userPrincipalNames[value eq "dave@corp.example.com"]`, ['Dave']],
    ['USERNAME Eq "dave@example.org"', ['Dave']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@example.com"', ['Bob']],
    ['meta.created gt "2000-01-01T00:00:00Z"', ['Alice', 'Bob', 'Carol', 'Dave']],
    ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
    ['userName eq "nobody@example.com"', []],
  ])('Should filter %s', async ([filter, expected], { expect }) => {
    expect(await filtered(filter)).toEqual(expected)
  })

  it("Should answer a top-level OR with this tenant's users only, counted and paged exactly", async ({
    expect,
  }) => {
    const other = scimClient(await createTenant())
    for (const userName of ['alice@example.com', 'dave@example.org'])
      await other.post('/Users', {
        userName,
        title: 'Director',
        emails: [{ value: 'bob@home.example', type: 'home' }],
      })
    const filter = encodeURIComponent(
      'userName eq "alice@example.com" or emails.value eq "bob@home.example" or title eq "Director"'
    )
    const all = await json(await scim.get(`/Users?filter=${filter}`))
    expect(all.totalResults).toBe(3)
    expect(all.Resources.map((r) => r.displayName)).toEqual(['Alice', 'Bob', 'Dave'])
    const second = await json(await scim.get(`/Users?filter=${filter}&startIndex=2&count=1`))
    expect(second).toMatchObject({ totalResults: 3, itemsPerPage: 1 })
    expect(second.Resources.map((r) => r.displayName)).toEqual(['Bob'])
    const first = await json(await scim.get(`/Users?filter=${filter}&count=2&cursor=`))
    const rest = await json(
      await scim.get(`/Users?filter=${filter}&count=2&cursor=${String(first.nextCursor)}`)
    )
    expect([...first.Resources, ...rest.Resources].map((r) => r.displayName)).toEqual([
      'Alice',
      'Bob',
      'Dave',
    ])
    expect(rest.nextCursor).toBeUndefined()
  })

  it('Should find a user by id filter and never return the password', async ({ expect }) => {
    const id = ids.get('Carol') ?? ''
    const body = await json(await scim.get(`/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`))
    expect(body.Resources.map((r) => r.id)).toEqual([id])
    expect(JSON.stringify(body)).not.toContain('secret-never-returned')
    expect(body.Resources[0]).not.toHaveProperty('password')
  })

  it('Should page by startIndex and count with exact totals', async ({ expect }) => {
    const page = await json(await scim.get('/Users?startIndex=2&count=2'))
    expect(page).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 })
    expect(page.Resources.map((r) => r.displayName)).toEqual(['Bob', 'Carol'])
    const clamped = await json(await scim.get('/Users?startIndex=0&count=-5'))
    expect(clamped).toMatchObject({
      totalResults: 4,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    })
    const past = await json(await scim.get('/Users?startIndex=10'))
    expect(past).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] })
    expect((await scim.get('/Users?count=abc')).status).toBe(400)
  })

  it('Should page with RFC 9865 cursors to the end', async ({ expect }) => {
    const seen: string[] = []
    let cursor = ''
    for (let i = 0; i < 10; i++) {
      const page = await json(
        await scim.get(`/Users?count=3&cursor=${cursor}&sortBy=userName&sortOrder=descending`)
      )
      expect(page.totalResults).toBe(4)
      seen.push(...page.Resources.map((r) => r.displayName ?? ''))
      if (!page.nextCursor) break
      expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/)
      cursor = page.nextCursor
    }
    expect(seen).toEqual(['Dave', 'Carol', 'Bob', 'Alice'])
    const bad = await scim.get('/Users?cursor=not-a-cursor!')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ scimType: 'invalidCursor' })
  })

  it('Should sort by attribute in both orders', async ({ expect }) => {
    expect(await names('sortBy=title&sortOrder=ascending')).toEqual([
      'Dave',
      'Alice',
      'Carol',
      'Bob',
    ])
    expect(await names('sortBy=emails&sortOrder=descending')).toEqual([
      'Dave',
      'Carol',
      'Bob',
      'Alice',
    ])
    expect((await scim.get('/Users?sortBy=nosuch')).status).toBe(400)
  })

  it('Should project attributes and excludedAttributes', async ({ expect }) => {
    const only = await json(
      await scim.get(`/Users/${ids.get('Alice') ?? ''}?attributes=userName,name.givenName`)
    )
    expect(Object.keys(only).sort()).toEqual(['id', 'meta', 'schemas', 'userName'])
    const without = await json(
      await scim.get(
        `/Users/${ids.get('Alice') ?? ''}?excludedAttributes=emails,${ENTERPRISE}:department`
      )
    )
    expect(without).not.toHaveProperty('emails')
    expect(without[ENTERPRISE]).toEqual({ employeeNumber: 'E-Alice' })
    expect(without.userName).toBe('alice@example.com')
  })

  it('Should count exactly a filter too long to repeat for its total in the same statement', async ({
    expect,
  }) => {
    // 20 names, 3 of them users: the page and its total are then read apart (D1 takes at most
    // 100 values per statement), and the total must still be exact, on every page.
    const wanted = ['alice@example.com', 'bob@example.com', 'dave@example.org']
    const others = Array.from({ length: 17 }, (_, i) => `nobody${String(i)}@example.com`)
    const filter = [...wanted, ...others].map((n) => `userName eq "${n}"`).join(' or ')
    const query = `filter=${encodeURIComponent(filter)}`
    const all = await json(await scim.get(`/Users?${query}`))
    expect(all.totalResults).toBe(3)
    expect(all.Resources.map((r) => r.displayName).sort()).toEqual(['Alice', 'Bob', 'Dave'])
    const second = await json(await scim.get(`/Users?${query}&startIndex=2&count=1`))
    expect(second).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 })
    const past = await json(await scim.get(`/Users?${query}&startIndex=5`))
    expect(past).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] })
  })

  it('Should answer POST /.search like GET', async ({ expect }) => {
    const res = await scim.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'title eq "Engineer"',
      attributes: ['displayName'],
      startIndex: 1,
      count: 10,
    })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.Resources.map((r) => r.displayName)).toEqual(['Alice', 'Carol'])
    expect(body.Resources[0]).not.toHaveProperty('title')
  })
})
