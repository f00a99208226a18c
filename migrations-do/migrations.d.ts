/**
 * @module Types of `migrations.js`, which drizzle-kit regenerates with every migration of the
 * tenant Durable Object's storage: the journal and each migration's SQL (imported as text).
 */
declare const migrations: {
  journal: {
    entries: { idx: number; when: number; tag: string; breakpoints: boolean }[]
  }
  migrations: Record<string, string>
}
export default migrations
