/**
 * The tenant Durable Object's own SQLite storage is versioned: a new object gets every table of
 * the current version; an object whose storage was created before versioning (each store's
 * CREATE TABLE IF NOT EXISTS, no migration record) is brought to the current version when the
 * new code starts, keeping its data, so a run in progress finishes; starting again changes
 * nothing; and a stored row that does not parse is an error naming its table and key.
 */
import { runDurableObjectAlarm } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import { describe, it, vi } from 'vitest'
import bundled from '../../migrations-do/migrations.js'
import {
  CURRENT_OBJECT_STORAGE_VERSION,
  migrateObjectStorage,
  objectStorageVersion,
} from '../../src/storage/tenant-object/migrate'
import type { SyncRun } from '../../src/sync/report'
import { adminJson } from '../support/directory'
import {
  CONTOSO_PRODUCT,
  finishRun,
  latestRun,
  productState,
  pullTenant,
  setFaults,
  syncNow,
  syncRuns,
} from '../support/graph'
import {
  MIGRATIONS_TABLE,
  UNVERSIONED_RUN_STORE,
  UNVERSIONED_STAGE,
  appliedMigrations,
  inObject,
  insertRows,
  layoutOf,
  makeUnversioned,
  restart,
  rowsOf,
  tablesOf,
  tenantObject,
} from '../support/object-storage'
import { admin, createTenant } from '../support/scim'

const OBJECT_TABLES = ['stage_groups', 'stage_members', 'stage_users', 'sync_links', 'sync_runs']

/** A finished run as the first release stored it (before failureKind, retryAt, usersOutOfScope). */
const firstReleaseRun = (instanceId: string) => ({
  id: '01900000-0000-7000-8000-000000000001',
  instanceId,
  trigger: 'schedule' as const,
  status: 'succeeded' as const,
  phase: 'done' as const,
  startedAt: '2026-01-05T08:00:00.000Z',
  finishedAt: '2026-01-05T08:01:00.000Z',
  parents: { groups: 'g-parent', dnt: null, delete: null },
  after: '',
  link: null,
  attempt: 0,
  nextAttemptAt: null,
  counts: {
    entraUsersSeen: 3,
    usersCreated: 3,
    usersUpdated: 0,
    linked: 1,
    unlinked: 0,
    groupsCreated: 1,
    groupsUpdated: 0,
    groupsDeleted: 0,
    groupsSkippedNoLinkedUsers: 0,
    membersAdded: 3,
    membersRemoved: 0,
    dntAdded: 0,
    deletionsRequested: 0,
  },
  unsupportedGroups: [],
  errors: [],
  metrics: { steps: 4, longestStepMs: 120, graphRequests: 6, tokenRequests: 1, d1RowsWritten: 30 },
})

interface StoredRun {
  id: string
  instanceId: string
  startedAt: string
  finishedAt: string | null
  status: string
}

/** A sync_runs row as the run store writes it. */
const runRow = (run: StoredRun) => ({
  id: run.id,
  instance_id: run.instanceId,
  started_at: run.startedAt,
  finished_at: run.finishedAt,
  status: run.status,
  report: JSON.stringify(run),
})

const freshLayout = async () => inObject((await createTenant()).id, layoutOf)

/** Starts a sync (short pages) and steps it until it has staged users, still running. */
async function syncMidway() {
  const setup = await pullTenant()
  const { tenant, instanceId } = setup
  await setFaults(setup.directory, { pageSize: 1 })
  await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
  const staged = () =>
    inObject(tenant.id, (s) => s.sql.exec('SELECT count(*) AS n FROM stage_users').one().n)
  for (let step = 0; step < 40 && Number(await staged()) === 0; step++)
    await runDurableObjectAlarm(tenantObject(tenant.id))
  return { ...setup, run: await latestRun(tenant.id, instanceId) }
}

describe("The tenant object's own storage", () => {
  it('Should give a new object every table, at the current version', async ({ expect }) => {
    const tenant = await createTenant()
    const storage = await inObject(tenant.id, (s) => ({
      tables: tablesOf(s),
      version: objectStorageVersion(s),
      applied: appliedMigrations(s).length,
    }))
    expect(storage).toEqual({
      tables: [MIGRATIONS_TABLE, ...OBJECT_TABLES],
      version: CURRENT_OBJECT_STORAGE_VERSION,
      applied: bundled.journal.entries.length,
    })
    expect(CURRENT_OBJECT_STORAGE_VERSION).toBe(bundled.journal.entries.at(-1)?.tag)
  })

  it('Should lay out in its first migration exactly the tables the unversioned code created', async ({
    expect,
  }) => {
    const tenant = await createTenant()
    const [first] = bundled.journal.entries
    const layouts = await inObject(tenant.id, async (s) => {
      makeUnversioned(s, [])
      await migrate(drizzle(s), {
        journal: { entries: first ? [first] : [] },
        migrations: bundled.migrations,
      })
      const migrated = layoutOf(s)
      makeUnversioned(s, [...UNVERSIONED_RUN_STORE, ...UNVERSIONED_STAGE])
      return { migrated, unversioned: layoutOf(s) }
    })
    expect(Object.keys(layouts.unversioned)).toEqual(OBJECT_TABLES)
    expect(layouts.migrated).toEqual(layouts.unversioned)
  })

  it('Should bring an unversioned object to the current version and finish its run in progress', async ({
    expect,
  }) => {
    const { tenant, instanceId, run } = await syncMidway()
    expect(run).toMatchObject({ status: 'running', phase: 'members' })
    const old = firstReleaseRun(instanceId)
    const unversioned = await inObject(tenant.id, (s) => {
      makeUnversioned(s, [...UNVERSIONED_RUN_STORE, ...UNVERSIONED_STAGE])
      insertRows(s, 'sync_runs', [runRow(old)])
      return { tables: tablesOf(s), rows: rowsOf(s) }
    })
    expect(unversioned.tables).toEqual(OBJECT_TABLES)
    expect(unversioned.rows.stage_users?.length).toBeGreaterThan(0)

    await restart(tenant.id)
    const upgraded = await inObject(tenant.id, (s) => ({
      version: objectStorageVersion(s),
      layout: layoutOf(s),
      rows: rowsOf(s),
    }))
    expect(upgraded.version).toBe(CURRENT_OBJECT_STORAGE_VERSION)
    expect(upgraded.layout).toEqual(await freshLayout())
    expect(upgraded.rows).toEqual(unversioned.rows)

    const finished = await finishRun(tenant.id, instanceId)
    expect(finished).toMatchObject({ id: run.id, status: 'succeeded' })
    expect(finished.metrics.steps).toBeGreaterThan(run.metrics.steps)
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
    const { runs } = await syncRuns(tenant.id, instanceId)
    expect(runs.map((r) => r.id)).toEqual([run.id, old.id])
    expect(runs[1]).toEqual({
      ...old,
      failureKind: null,
      retryAt: null,
      usersOutOfScope: { count: 0, sample: [] },
    } satisfies SyncRun)
  })

  it('Should complete an object that had only its run records when the new code starts', async ({
    expect,
  }) => {
    const { tenant, instanceId } = await pullTenant()
    await adminJson('POST', `/tenants/${tenant.id}/instances/${instanceId}/sync`, undefined, 202)
    const started = await latestRun(tenant.id, instanceId)
    await inObject(tenant.id, (s) => makeUnversioned(s, UNVERSIONED_RUN_STORE))
    expect(await inObject(tenant.id, tablesOf)).toEqual(['sync_runs'])

    await restart(tenant.id)
    expect(await inObject(tenant.id, layoutOf)).toEqual(await freshLayout())
    expect(await finishRun(tenant.id, instanceId)).toMatchObject({
      id: started.id,
      status: 'succeeded',
    })
    expect(await productState(tenant)).toEqual(CONTOSO_PRODUCT)
  })

  it('Should change nothing when the object starts again or migrates twice', async ({ expect }) => {
    const { tenant, instanceId } = await pullTenant()
    expect((await syncNow(tenant.id, instanceId)).status).toBe('succeeded')
    const snapshot = (s: DurableObjectStorage) => ({
      applied: appliedMigrations(s),
      layout: layoutOf(s),
      rows: rowsOf(s),
    })
    const before = await inObject(tenant.id, snapshot)
    expect(before.applied).toHaveLength(bundled.journal.entries.length)
    expect(before.rows.sync_links?.length).toBeGreaterThan(0)

    await restart(tenant.id)
    expect(await inObject(tenant.id, snapshot)).toEqual(before)
    await restart(tenant.id)
    expect(await inObject(tenant.id, snapshot)).toEqual(before)
    const again = await inObject(tenant.id, async (s) => {
      await migrateObjectStorage(s)
      return snapshot(s)
    })
    expect(again).toEqual(before)
    expect((await syncNow(tenant.id, instanceId)).status).toBe('succeeded')
  })
})

describe("Rows of the tenant object's storage that do not parse", () => {
  const loggedErrors = (log: { mock: { calls: unknown[][] } }) =>
    log.mock.calls.map(([line]) => (typeof line === 'string' ? line : '')).join('\n')

  it('Should refuse a run record of another shape, naming its table and id', async ({ expect }) => {
    const { tenant, instanceId } = await pullTenant()
    const broken = { ...firstReleaseRun(instanceId), id: 'run-broken', status: 'paused' }
    await inObject(tenant.id, (s) => insertRows(s, 'sync_runs', [runRow(broken)]))
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)

    const res = await admin('GET', `/tenants/${tenant.id}/instances/${instanceId}/sync/runs`)
    expect(res.status).toBe(500)
    const logged = loggedErrors(log)
    expect(logged).toContain(`The tenant object's sync_runs row id=\\"run-broken\\" cannot be read`)
    expect(logged).toContain('→ at report.status')
  })

  it('Should stop a step on a staged group of another shape, naming its table and key', async ({
    expect,
  }) => {
    const { tenant, instanceId, run } = await syncMidway()
    const [first] = await inObject(tenant.id, (s) =>
      s.sql
        .exec<{ id: string }>(
          "UPDATE stage_groups SET kind = 'nested' WHERE run_id = ? AND done = 0 RETURNING id",
          run.id
        )
        .toArray()
        .map((g) => g.id)
        .sort()
    )
    vi.spyOn(console, 'error').mockImplementation(() => undefined)

    await runDurableObjectAlarm(tenantObject(tenant.id))
    const after = await latestRun(tenant.id, instanceId)
    expect(after).toMatchObject({ id: run.id, status: 'running', counts: run.counts })
    expect(after.nextAttemptAt).not.toBeNull()
    const message = after.errors.at(-1)?.message ?? ''
    expect(message).toContain(
      `The tenant object's stage_groups row run_id="${run.id}" id="${first ?? '?'}" cannot be read: ✖ Invalid option`
    )
    expect(message).toContain('→ at kind')
  })
})
