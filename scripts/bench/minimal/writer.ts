/**
 * @module The minimal floor's per-tenant Durable Object: writes one at a time (as the product's
 * object does), each one D1 batch with no read before it. A PATCH is turned into SQL that
 * applies it in the database (json_patch for a user's attributes, json_each for member lists).
 */
import { DurableObject } from 'cloudflare:workers'
import { inObject, latencyOf, tapDatabases } from '../worker/trips'
import { ROW_COLUMNS, type Answer, type Kind, type MinimalEnv, type Row } from './shared'

type Json = Record<string, unknown>

interface PatchOp {
  op: string
  path?: string
  value?: unknown
}

const asJson = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v))
    : {}

function patchOps(body: Json): PatchOp[] {
  const ops = Array.isArray(body.Operations) ? body.Operations : []
  return ops.map((o) => {
    const op = asJson(o)
    return {
      op: typeof op.op === 'string' ? op.op.toLowerCase() : '',
      ...(typeof op.path === 'string' ? { path: op.path } : {}),
      value: op.value,
    }
  })
}

/** The merge patch of a user PATCH's add/replace operations on top-level attributes. */
function mergePatch(ops: PatchOp[]): Json {
  const merged: Json = {}
  for (const o of ops) {
    if (o.op === 'remove') continue
    if (o.path === undefined) Object.assign(merged, asJson(o.value))
    else merged[o.path] = o.value
  }
  return merged
}

const memberIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : []).map((m) => {
    const id = asJson(m).value
    return typeof id === 'string' ? id : ''
  })

/** `members[value eq "id"]`: the member a remove names. */
const REMOVE_ONE = /^members\[value eq "([^"]+)"\]$/i

export class MinimalWriter extends DurableObject<MinimalEnv> {
  #tail: Promise<unknown> = Promise.resolve()
  readonly #db = tapDatabases(this.env, ['DB'], latencyOf(this.env.BENCH_D1_LATENCY_MS)).DB

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work)
    this.#tail = result.catch(() => undefined)
    return result
  }

  create(requestId: string | null, tenantId: string, kind: Kind, body: Json): Promise<Answer> {
    return inObject([requestId], () => this.#serial(() => this.#insert(tenantId, kind, body)))
  }

  patch(
    requestId: string | null,
    tenantId: string,
    kind: Kind,
    id: string,
    body: Json
  ): Promise<Answer> {
    const work =
      kind === 'Users'
        ? () => this.#patchUser(tenantId, id, patchOps(body))
        : () => this.#patchGroup(tenantId, id, patchOps(body))
    return inObject([requestId], () => this.#serial(work))
  }

  async #insert(tenantId: string, kind: Kind, body: Json): Promise<Answer> {
    const name = kind === 'Users' ? body.userName : body.displayName
    if (typeof name !== 'string' || name === '') return { status: 400, detail: 'name required' }
    const now = new Date().toISOString()
    const [table, column] =
      kind === 'Users' ? ['users', 'user_name_ci'] : ['groups', 'display_name_ci']
    const doc = { ...body }
    delete doc.members
    const sql =
      `INSERT INTO ${table} (tenant_id, id, ${column}, data, version, created_at, updated_at) ` +
      `VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING ${ROW_COLUMNS}`
    const values = [
      tenantId,
      crypto.randomUUID(),
      name.toLowerCase(),
      JSON.stringify(doc),
      now,
      now,
    ]
    try {
      const [result] = await this.#db.batch<Row>([this.#db.prepare(sql).bind(...values)])
      const row = result?.results[0]
      return row ? { status: 201, row } : { status: 500, detail: 'no row' }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      if (message.includes('UNIQUE')) return { status: 409, detail: `${name} is taken` }
      throw e
    }
  }

  async #patchUser(tenantId: string, id: string, ops: PatchOp[]): Promise<Answer> {
    const sql =
      `UPDATE users SET data = json_patch(data, ?), version = version + 1, updated_at = ? ` +
      `WHERE tenant_id = ? AND id = ? RETURNING ${ROW_COLUMNS}`
    const values = [JSON.stringify(mergePatch(ops)), new Date().toISOString(), tenantId, id]
    const [result] = await this.#db.batch<Row>([this.#db.prepare(sql).bind(...values)])
    const row = result?.results[0]
    return row ? { status: 200, row } : { status: 404, detail: `User ${id} not found` }
  }

  async #patchGroup(tenantId: string, id: string, ops: PatchOp[]): Promise<Answer> {
    const db = this.#db
    const touch = db
      .prepare(
        'UPDATE groups SET version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?'
      )
      .bind(new Date().toISOString(), tenantId, id)
    const statements = [touch]
    for (const o of ops) {
      const one = o.path === undefined ? undefined : REMOVE_ONE.exec(o.path)?.[1]
      if (o.op === 'add') {
        const sql =
          'INSERT INTO group_members (tenant_id, group_id, user_id) SELECT ?, ?, value FROM json_each(?) ' +
          'WHERE EXISTS (SELECT 1 FROM groups WHERE tenant_id = ? AND id = ?) ON CONFLICT DO NOTHING'
        statements.push(
          db.prepare(sql).bind(tenantId, id, JSON.stringify(memberIds(o.value)), tenantId, id)
        )
      } else if (o.op === 'remove') {
        const ids = one !== undefined ? [one] : memberIds(o.value)
        const sql =
          'DELETE FROM group_members WHERE tenant_id = ? AND group_id = ? AND user_id IN (SELECT value FROM json_each(?))'
        statements.push(db.prepare(sql).bind(tenantId, id, JSON.stringify(ids)))
      }
    }
    const [touched] = await db.batch(statements)
    return touched?.meta.changes
      ? { status: 204 }
      : { status: 404, detail: `Group ${id} not found` }
  }
}
