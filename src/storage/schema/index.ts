/**
 * @module The D1 schema (drizzle). Both regional databases carry the same tables; every
 * tenant-owned table leads with `tenant_id` and every lookup index is scoped by it.
 * See docs/storage-schema.md.
 */
export * from './tenants'
export * from './resources'
export * from './agents'
export * from './dnt'
export * from './deletions'
export * from './roles'
export * from './history'
export * from './console'
