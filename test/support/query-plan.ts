/**
 * `EXPLAIN QUERY PLAN` of a built query against the real D1 schema, for tests that prove a read
 * is answered from index ranges and never walks a table or a whole tenant.
 */
import { env } from 'cloudflare:workers'

export interface BuiltSql {
  sql: string
  params: readonly unknown[]
}

async function planRows(query: BuiltSql) {
  const res = await env.DB_US.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
    .bind(...query.params)
    .all<{ detail: string; parent: number }>()
  return res.results
}

/** The plan's lines, e.g. `SEARCH u USING INDEX users_user_name (tenant_id=? AND …)`. */
export async function queryPlan(query: BuiltSql): Promise<string[]> {
  return (await planRows(query)).map((r) => r.detail)
}

/** The lines of the outermost query only (not those of its subqueries). */
export async function outerPlan(query: BuiltSql): Promise<string[]> {
  return (await planRows(query)).filter((r) => r.parent === 0).map((r) => r.detail)
}

/** The table (or alias) a plan line reads whole or by tenant alone, else undefined. */
function readAll(line: string): string | undefined {
  const m = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(line)
  if (!m) return undefined
  return m[1] === 'SCAN' || /\(tenant_id=\?\)$/.test(m[3] ?? '') ? m[2] : undefined
}

/**
 * Plan lines that read every row of a stored table (`SCAN u …`) or every row of the tenant (a
 * SEARCH keyed by `tenant_id` alone), for the table aliases named.
 */
export function unboundedReads(plan: readonly string[], aliases: readonly string[]): string[] {
  return plan.filter((line) => aliases.includes(readAll(line) ?? ''))
}

/**
 * The same, for every stored table: any line but those of a list (a virtual table such as
 * json_each), a constant row, a subquery's rows (`(subquery-N)`) or one of `derived` (the
 * statement's own CTEs).
 */
export function tableWalks(plan: readonly string[], derived: readonly string[] = []): string[] {
  return plan.filter((line) => {
    const read = readAll(line)
    if (read === undefined || line.includes('VIRTUAL TABLE')) return false
    return read !== 'CONSTANT' && !read.startsWith('(') && !derived.includes(read)
  })
}
