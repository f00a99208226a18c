/**
 * The Entra ID pull sync end to end against the fake Graph: a first run creates the product
 * groups (only those with a linked user), their transitive members, the DNT entries and the
 * deletions; a second run with nothing changed writes nothing to D1.
 */
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { adminJson, drainAlarms, getAgent, reportAgents } from '../support/directory'
import { GROUP_ID, createPullInstance, newDirectory, stats, syncNow } from '../support/graph'
import { createTenant, json, scimClient } from '../support/scim'

interface ScimGroup {
  id: string
  displayName: string
  externalId: string
  members?: { value: string; display: string }[]
}

async function productGroups(token: string): Promise<ScimGroup[]> {
  const res = await scimClient({ id: '', token, keyId: '' }).get('/Groups?count=100')
  return (await json(res)).Resources as unknown as ScimGroup[]
}

async function userNameOf(token: string, id: string): Promise<string> {
  return String(
    (await json(await scimClient({ id: '', token, keyId: '' }).get(`/Users/${id}`))).userName
  )
}

describe('Entra pull sync: first run', () => {
  it('Should create linked groups with transitive members, DNT entries and deletions, and report it', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const directory = await newDirectory()
    await reportAgents(tenant.id, [
      { id: 'adele-pc', upn: 'adelev@contoso.com' },
      { id: 'diego-pc', email: 'DiegoS@contoso.com' },
      { id: 'ann-pc', upn: 'annb@fabrikam.com' },
      { id: 'nestor-pc', employeeId: 'E1014' },
      { id: 'patti-pc', upn: 'PattiF@contoso.com' },
    ])
    const instanceId = await createPullInstance(tenant.id, directory)
    const run = await syncNow(tenant.id, instanceId)

    expect(run.status).toBe('succeeded')
    expect(run.counts).toMatchObject({
      entraUsersSeen: 16,
      usersCreated: 16,
      groupsCreated: 2,
      groupsSkippedNoLinkedUsers: 1,
      dntAdded: 2,
      deletionsRequested: 2,
    })
    expect(run.unsupportedGroups).toEqual([
      {
        id: GROUP_ID(7),
        displayName: 'Marketing',
        reason: expect.stringContaining('Microsoft 365') as unknown,
      },
    ])
    expect(run.errors).toEqual([])

    const groups = await productGroups(tenant.token)
    expect(groups.map((g) => [g.displayName, g.externalId]).sort()).toEqual([
      ['Engineering', GROUP_ID(5)],
      ['Sales', GROUP_ID(2)],
    ])
    const sales = groups.find((g) => g.displayName === 'Sales')
    const salesMembers = await Promise.all(
      (sales?.members ?? []).map((m) => userNameOf(tenant.token, m.value))
    )
    expect(salesMembers.sort()).toEqual(
      [
        'AdeleV@contoso.com',
        'AlexW@contoso.com',
        'DiegoS@contoso.com',
        'GradyA@contoso.com',
        'annb_fabrikam.com#EXT#@contoso.onmicrosoft.com',
        'bob.kelly_northwindtraders.com#EXT#@contoso.onmicrosoft.com',
      ].sort()
    )
    expect(await getAgent(tenant.id, 'ann-pc')).toMatchObject({ linkRule: 'upn' })
    expect(await getAgent(tenant.id, 'nestor-pc')).toMatchObject({
      doNotTrack: true,
      state: 'active',
    })

    await drainAlarms(tenant.id)
    expect(await getAgent(tenant.id, 'patti-pc')).toMatchObject({
      state: 'removed',
      userId: null,
      doNotTrack: true,
    })
    const deletions = await adminJson<{
      deletions: { source: string; status: string; identifiers: { userName: string } }[]
    }>('GET', `/tenants/${tenant.id}/deletions`)
    expect(deletions.deletions.map((d) => [d.identifiers.userName, d.source]).sort()).toEqual([
      ['LidiaH@contoso.com', 'pull-delete'],
      ['PattiF@contoso.com', 'pull-delete'],
    ])
    const patti = await json(
      await scimClient(tenant).get(
        `/Users?filter=${encodeURIComponent('userName eq "PattiF@contoso.com"')}`
      )
    )
    expect(patti.totalResults).toBe(0)

    const graph = await stats(directory)
    const paths = graph.log.filter((e) => e.kind === 'graph').map((e) => e.path)
    expect(
      paths.some((p) => p.includes(`/groups/${GROUP_ID(2)}/transitiveMembers/microsoft.graph.user`))
    ).toBe(true)
    expect(graph.tokenRequests).toBe(1)
    expect(run.metrics.graphRequests).toBe(graph.graphRequests)
  })

  it('Should write no D1 rows in a second run that finds nothing changed', async ({ expect }) => {
    const tenant = await createTenant()
    const directory = await newDirectory()
    await reportAgents(tenant.id, [{ id: 'adele-pc', upn: 'adelev@contoso.com' }])
    const instanceId = await createPullInstance(tenant.id, directory)
    const first = await syncNow(tenant.id, instanceId)
    expect(first.metrics.d1RowsWritten).toBeGreaterThan(0)
    await drainAlarms(tenant.id)
    const before = await env.DB_US.prepare(
      'SELECT (SELECT count(*) FROM history) AS h, (SELECT max(version) FROM groups) AS v'
    ).first()
    const second = await syncNow(tenant.id, instanceId)
    expect(second.status).toBe('succeeded')
    expect(second.metrics.d1RowsWritten).toBe(0)
    expect(second.counts).toMatchObject({
      usersCreated: 0,
      usersUpdated: 0,
      groupsCreated: 0,
      groupsUpdated: 0,
      groupsDeleted: 0,
      membersAdded: 0,
      membersRemoved: 0,
      dntAdded: 0,
      deletionsRequested: 0,
    })
    const after = await env.DB_US.prepare(
      'SELECT (SELECT count(*) FROM history) AS h, (SELECT max(version) FROM groups) AS v'
    ).first()
    expect(after).toEqual(before)
  })
})
