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

/**
 * Plan lines that read every row of a stored table (`SCAN u …`) or every row of the tenant (a
 * SEARCH keyed by `tenant_id` alone), for the table aliases named.
 */
export function unboundedReads(plan: readonly string[], aliases: readonly string[]): string[] {
  return plan.filter((line) => {
    const m = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(line)
    if (!m || !aliases.includes(m[2] ?? '')) return false
    return m[1] === 'SCAN' || /\(tenant_id=\?\)$/.test(m[3] ?? '')
  })
}
