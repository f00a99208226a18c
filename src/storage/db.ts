/**
 * @module Picks a region's D1 database and wraps it in drizzle. The region always comes from the
 * tenant id or the SCIM token, never from a lookup, so a request can only reach its own region.
 */
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import type { Region } from '../domain/tenant'

export type Db = DrizzleD1Database

export interface RegionDatabases {
  DB_US: D1Database
  DB_EU: D1Database
}

export function regionD1(env: RegionDatabases, region: Region): D1Database {
  return region === 'eu' ? env.DB_EU : env.DB_US
}

export function regionDb(env: RegionDatabases, region: Region): Db {
  return drizzle(regionD1(env, region))
}

/** Runs a compiled query (filter, sort, page) that drizzle's builder cannot express. */
export async function allRows<T>(d1: D1Database, sql: string, params: readonly unknown[]): Promise<T[]> {
  const result = await d1.prepare(sql).bind(...params).all<T>()
  return result.results
}
