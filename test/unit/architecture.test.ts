/**
 * The layering rules (CONTRIBUTING "Dependency rules"), checked over every import in src/: each
 * folder names the folders it may import (anything else, a new folder included, is refused), pure
 * layers import no platform, storage is the only importer of drizzle-orm, and only the write path
 * and the root touch `cloudflare:workers`.
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

/**
 * Resolves a relative import to its top-level folder under src/, or its module at the root
 * (`env`, `config`); undefined for a file outside src/ (the generated migrations).
 */
const layerOf = (file: string, spec: string): string | undefined => {
  const target = relative(SRC, join(SRC, file, '..', spec))
  return target.startsWith('..') ? undefined : (target.split('/')[0] ?? target)
}

/** The modules at the root of src/: settings, bindings and the composition root. */
const ROOT = ['app', 'worker', 'config', 'env']
const PLATFORM = ['hono', 'drizzle-orm', 'cloudflare:']
/** What the layers under the transports may all import: settings and bindings. */
const SETTINGS = ['env', 'config']
const BELOW_DOMAIN = ['lib', 'model', 'scim', 'directory', 'storage', ...SETTINGS]

/** Each folder of src/: the packages it may not import, and the folders and root modules it may. */
const RULES: Record<string, { packages: readonly string[]; may: readonly string[] }> = {
  lib: { packages: PLATFORM, may: [] },
  model: { packages: [...PLATFORM, 'zod'], may: ['lib'] },
  scim: { packages: PLATFORM, may: ['lib', 'model'] },
  graph: { packages: PLATFORM, may: ['lib', 'model'] },
  directory: { packages: [...PLATFORM, 'zod'], may: ['lib', 'model', 'scim'] },
  storage: {
    packages: ['hono', 'cloudflare:'],
    may: ['lib', 'model', 'scim', 'directory', ...SETTINGS],
  },
  domain: { packages: PLATFORM, may: BELOW_DOMAIN },
  sync: { packages: PLATFORM, may: [...BELOW_DOMAIN, 'graph', 'domain'] },
  'tenant-do': {
    packages: ['hono', 'drizzle-orm'],
    may: [...BELOW_DOMAIN, 'graph', 'domain', 'sync'],
  },
  'sign-in-guard': { packages: ['hono', 'drizzle-orm'], may: ['lib', 'model', ...SETTINGS] },
  http: {
    packages: ['drizzle-orm', 'cloudflare:'],
    may: [...BELOW_DOMAIN, 'graph', 'domain', 'sync', 'tenant-do'],
  },
  cron: {
    packages: PLATFORM,
    may: [...BELOW_DOMAIN, 'domain', 'tenant-do'],
  },
}

describe('Architecture', () => {
  it('Should give every folder of src/ its rule', ({ expect }) => {
    const entries = readdirSync(SRC, { withFileTypes: true })
    const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name)
    const modules = entries.filter((e) => e.isFile()).map((e) => e.name.replace(/\.ts$/, ''))
    expect(folders.sort()).toEqual(Object.keys(RULES).sort())
    expect(modules.sort()).toEqual([...ROOT].sort())
  })

  it.for(Object.entries(RULES))(
    'Should keep %s to the imports its layer allows',
    ([layer, rule], { expect }) => {
      const offending = imports
        .filter((f) => f.file.startsWith(`${layer}/`))
        .flatMap((f) =>
          f.specs
            .filter((s) => {
              if (!s.startsWith('.')) return rule.packages.some((p) => s.startsWith(p))
              const target = layerOf(f.file, s)
              return target !== undefined && target !== layer && !rule.may.includes(target)
            })
            .map((s) => `${f.file} imports ${s}`)
        )
      expect(offending).toEqual([])
    }
  )
})
