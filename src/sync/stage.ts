/**
 * @module The pull sync's working state in the tenant Durable Object's own SQLite storage: what
 * a run has read from Graph so far (groups with their paging position, users, memberships) and
 * the links from Entra object ids to product ids (run records are in ./run-store.ts). Each Graph
 * page is staged together with its new paging position in one storage transaction, so a crash or
 * a deploy between pages loses nothing and repeats nothing.
 */
import { z } from 'zod'
import { userSchema, type GraphUser } from '../graph/schemas'
import { jsonColumn, parseStoredRows, type StoredRow } from '../storage/tenant-object/rows'

const STAGED_KINDS = ['child', 'unsupported', 'dnt-parent', 'delete-parent'] as const

/** What a staged group is to the run. */
export type StagedKind = (typeof STAGED_KINDS)[number]

export interface StagedGroup {
  id: string
  displayName: string
  kind: StagedKind
  nextLink: string | null
  done: boolean
}

const groupRow = z
  .object({
    id: z.string(),
    display_name: z.string(),
    kind: z.enum(STAGED_KINDS),
    next_link: z.string().nullable(),
    done: z.union([z.literal(0), z.literal(1)]),
  })
  .transform((r): StagedGroup => ({
    id: r.id,
    displayName: r.display_name,
    kind: r.kind,
    nextLink: r.next_link,
    done: r.done === 1,
  }))
const userRow = z.object({ data: jsonColumn(userSchema) })
const memberRow = z.object({ user_id: z.string() })
const linkRow = z.object({ entra_id: z.string(), product_id: z.string() })

// Each read selects its table's key columns too, so a row that does not parse is named.
const MEMBER_KEY = ['run_id', 'group_id', 'user_id'] as const
const stagedGroups = (rows: readonly StoredRow[]) =>
  parseStoredRows('stage_groups', groupRow, ['run_id', 'id'], rows)
const links = (rows: readonly StoredRow[]) =>
  parseStoredRows('sync_links', linkRow, ['instance_id', 'kind', 'entra_id'], rows)

export class SyncStage {
  readonly #sql: SqlStorage
  readonly #transaction: <T>(fn: () => T) => T

  /** The object's storage, already migrated (src/storage/tenant-object/migrate.ts). */
  constructor(storage: DurableObjectStorage) {
    this.#sql = storage.sql
    this.#transaction = (fn) => storage.transactionSync(fn)
  }

  #all(query: string, ...params: SqlStorageValue[]): StoredRow[] {
    return this.#sql.exec<StoredRow>(query, ...params).toArray()
  }

  addGroups(runId: string, groups: readonly Omit<StagedGroup, 'done' | 'nextLink'>[]): void {
    for (const g of groups) {
      this.#sql.exec(
        'INSERT OR IGNORE INTO stage_groups (run_id, id, display_name, kind, next_link, done) VALUES (?, ?, ?, ?, NULL, ?)',
        runId,
        g.id,
        g.displayName,
        g.kind,
        g.kind === 'unsupported' ? 1 : 0
      )
    }
  }

  /** Staged groups of a kind after `afterId`, in id order. */
  groups(runId: string, kind: StagedKind, afterId = '', limit = -1): StagedGroup[] {
    const rows = this.#all(
      'SELECT * FROM stage_groups WHERE run_id = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?',
      runId,
      kind,
      afterId,
      limit
    )
    return stagedGroups(rows)
  }

  /** The next group whose members are still being read. */
  nextPendingGroup(runId: string): StagedGroup | undefined {
    const rows = this.#all(
      "SELECT * FROM stage_groups WHERE run_id = ? AND done = 0 AND kind != 'unsupported' ORDER BY kind, id LIMIT 1",
      runId
    )
    return stagedGroups(rows)[0]
  }

  /** Stages one page of a group's transitive users and its paging position, atomically. */
  addMemberPage(
    runId: string,
    groupId: string,
    users: readonly GraphUser[],
    nextLink: string | undefined
  ): void {
    this.#transaction(() => {
      for (const u of users) {
        this.#sql.exec(
          'INSERT OR REPLACE INTO stage_users (run_id, id, data) VALUES (?, ?, ?)',
          runId,
          u.id,
          JSON.stringify(u)
        )
        this.#sql.exec(
          'INSERT OR IGNORE INTO stage_members (run_id, group_id, user_id) VALUES (?, ?, ?)',
          runId,
          groupId,
          u.id
        )
      }
      this.#sql.exec(
        'UPDATE stage_groups SET next_link = ?, done = ? WHERE run_id = ? AND id = ?',
        nextLink ?? null,
        nextLink ? 0 : 1,
        runId,
        groupId
      )
    })
  }

  /** A child group that vanished mid-run: forget it and what was read of it. */
  dropGroup(runId: string, groupId: string): void {
    this.#transaction(() => {
      this.#sql.exec('DELETE FROM stage_members WHERE run_id = ? AND group_id = ?', runId, groupId)
      this.#sql.exec('DELETE FROM stage_groups WHERE run_id = ? AND id = ?', runId, groupId)
    })
  }

  /** Staged users after `afterId`, in id order. */
  users(runId: string, afterId: string, limit: number): GraphUser[] {
    const rows = this.#all(
      'SELECT run_id, id, data FROM stage_users WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?',
      runId,
      afterId,
      limit
    )
    return parseStoredRows('stage_users', userRow, ['run_id', 'id'], rows).map((r) => r.data)
  }

  memberIds(runId: string, groupId: string): string[] {
    const rows = this.#all(
      'SELECT run_id, group_id, user_id FROM stage_members WHERE run_id = ? AND group_id = ? ORDER BY user_id',
      runId,
      groupId
    )
    return parseStoredRows('stage_members', memberRow, MEMBER_KEY, rows).map((r) => r.user_id)
  }

  /** Staged users of any group of a kind (e.g. everyone under the Delete parent), in id order. */
  usersOfKind(runId: string, kind: StagedKind, afterId = '', limit = -1): string[] {
    const rows = this.#all(
      `SELECT DISTINCT m.run_id, m.user_id FROM stage_members m JOIN stage_groups g ON g.run_id = m.run_id AND g.id = m.group_id
       WHERE m.run_id = ? AND g.kind = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?`,
      runId,
      kind,
      afterId,
      limit
    )
    return parseStoredRows('stage_members', memberRow, ['run_id', 'user_id'], rows).map(
      (r) => r.user_id
    )
  }

  clearRun(runId: string): void {
    this.#transaction(() => this.#clear(runId))
  }

  #clear(runId: string): void {
    for (const table of ['stage_groups', 'stage_users', 'stage_members'])
      this.#sql.exec(`DELETE FROM ${table} WHERE run_id = ?`, runId)
  }

  /** Every link of a kind (the groups of an instance: a few thousand at most). */
  links(instanceId: string, kind: 'user' | 'group'): Map<string, string> {
    const rows = this.#all(
      'SELECT instance_id, kind, entra_id, product_id FROM sync_links WHERE instance_id = ? AND kind = ?',
      instanceId,
      kind
    )
    return new Map(links(rows).map((r) => [r.entra_id, r.product_id]))
  }

  /** The links of these Entra objects only. */
  linksFor(
    instanceId: string,
    kind: 'user' | 'group',
    entraIds: readonly string[]
  ): Map<string, string> {
    if (entraIds.length === 0) return new Map()
    const rows = this.#all(
      'SELECT instance_id, kind, entra_id, product_id FROM sync_links WHERE instance_id = ? AND kind = ? AND entra_id IN (SELECT value FROM json_each(?))',
      instanceId,
      kind,
      JSON.stringify(entraIds)
    )
    return new Map(links(rows).map((r) => [r.entra_id, r.product_id]))
  }

  /** User links of an instance whose Entra user this run did not stage, after `afterId`. */
  unstagedUserLinks(
    instanceId: string,
    runId: string,
    afterId: string,
    limit: number
  ): [string, string][] {
    const rows = this.#all(
      `SELECT l.instance_id, l.kind, l.entra_id, l.product_id FROM sync_links l
       WHERE l.instance_id = ? AND l.kind = 'user' AND l.entra_id > ?
         AND NOT EXISTS (SELECT 1 FROM stage_users s WHERE s.run_id = ? AND s.id = l.entra_id)
       ORDER BY l.entra_id LIMIT ?`,
      instanceId,
      afterId,
      runId,
      limit
    )
    return links(rows).map((r): [string, string] => [r.entra_id, r.product_id])
  }

  /** Which Entra object each of these product ids is linked to (for adoption conflicts). */
  ownersOf(
    instanceId: string,
    kind: 'user' | 'group',
    productIds: readonly string[]
  ): Map<string, string> {
    if (productIds.length === 0) return new Map()
    const rows = this.#all(
      'SELECT instance_id, kind, entra_id, product_id FROM sync_links WHERE instance_id = ? AND kind = ? AND product_id IN (SELECT value FROM json_each(?))',
      instanceId,
      kind,
      JSON.stringify(productIds)
    )
    return new Map(links(rows).map((r) => [r.product_id, r.entra_id]))
  }

  setLinks(instanceId: string, kind: 'user' | 'group', pairs: readonly [string, string][]): void {
    this.#transaction(() => {
      for (const [entraId, productId] of pairs) {
        this.#sql.exec(
          'INSERT OR REPLACE INTO sync_links (instance_id, kind, entra_id, product_id) VALUES (?, ?, ?, ?)',
          instanceId,
          kind,
          entraId,
          productId
        )
      }
    })
  }

  removeLink(instanceId: string, kind: 'user' | 'group', entraId: string): void {
    this.#sql.exec(
      'DELETE FROM sync_links WHERE instance_id = ? AND kind = ? AND entra_id = ?',
      instanceId,
      kind,
      entraId
    )
  }

  /** Drops an instance's links and whatever its runs staged (the instance was deleted). */
  forgetInstance(instanceId: string, runIds: readonly string[]): void {
    this.#transaction(() => {
      this.#sql.exec('DELETE FROM sync_links WHERE instance_id = ?', instanceId)
      for (const runId of runIds) this.#clear(runId)
    })
  }
}
