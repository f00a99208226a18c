import { defineConfig } from 'drizzle-kit'

/** Each tenant Durable Object's own SQLite storage (src/storage/tenant-object/). */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './src/storage/tenant-object/schema.ts',
  out: './migrations-do',
})
