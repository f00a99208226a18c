/**
 * The layering rules (README "Architecture"), checked over every import in src/: pure layers import
 * no platform, only the composition root reaches the transports, only the write path and the
 * root touch `cloudflare:workers`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, it } from 'vitest'

const SRC = join(import.meta.dirname, '../../src')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []
  )
}

const imports = files(SRC).map((file) => ({
  file: relative(SRC, file),
  specs: [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? ''),
}))

/** Resolves a relative import to its top-level folder under src/ (or the file, at the root). */
const layerOf = (file: string, spec: string): string => {
  const target = relative(SRC, join(SRC, file, '..', spec))
  return target.split('/')[0] ?? target
}

describe('Architecture', () => {
  it.for([
    [
      'scim',
      ['hono', 'drizzle-orm', 'cloudflare:'],
      ['storage', 'domain', 'http', 'tenant-do', 'sync', 'cron'],
    ],
    [
      'directory',
      ['hono', 'drizzle-orm', 'cloudflare:', 'zod'],
      ['storage', 'domain', 'http', 'tenant-do', 'sync', 'cron'],
    ],
    [
      'graph',
      ['hono', 'drizzle-orm', 'cloudflare:'],
      ['storage', 'domain', 'http', 'tenant-do', 'sync', 'cron'],
    ],
    [
      'lib',
      ['hono', 'drizzle-orm', 'cloudflare:'],
      ['storage', 'domain', 'http', 'tenant-do', 'sync', 'cron', 'scim'],
    ],
    ['domain', ['hono', 'cloudflare:'], ['http', 'tenant-do', 'cron']],
    ['storage', ['hono', 'cloudflare:'], ['http', 'tenant-do', 'cron', 'sync']],
    ['sync', ['hono', 'cloudflare:'], ['http', 'tenant-do', 'cron']],
    ['tenant-do', ['hono'], ['http', 'cron']],
    [
      'sign-in-guard',
      ['hono', 'drizzle-orm'],
      ['storage', 'domain', 'http', 'tenant-do', 'sync', 'cron', 'scim'],
    ],
  ] as const)(
    'Should keep %s free of forbidden imports',
    ([layer, packages, layers], { expect }) => {
      const offending = imports
        .filter((f) => f.file.startsWith(`${layer}/`))
        .flatMap((f) =>
          f.specs
            .filter((s) =>
              s.startsWith('.')
                ? (layers as readonly string[]).includes(layerOf(f.file, s))
                : packages.some((p) => s.startsWith(p))
            )
            .map((s) => `${f.file} imports ${s}`)
        )
      expect(offending).toEqual([])
    }
  )

  it('Should let only the composition root import the routers and the cron', ({ expect }) => {
    const offending = imports
      .filter(
        (f) =>
          !['app.ts', 'worker.ts'].includes(f.file) &&
          !f.file.startsWith('http/') &&
          !f.file.startsWith('cron/')
      )
      .flatMap((f) =>
        f.specs
          .filter((s) => s.startsWith('.') && ['http', 'cron'].includes(layerOf(f.file, s)))
          .map((s) => `${f.file} imports ${s}`)
      )
    expect(offending).toEqual([])
  })
})
