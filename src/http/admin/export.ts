/**
 * @module A tenant's export as NDJSON: one JSON object per line, each with a `type`. A `tenant`
 * line opens it; then every user (its SCIM document with `id` and `meta`, RFC 7643 §3.1), group
 * (with `members`), agent, Do Not Track entry, deletion, role, instance, key and history entry,
 * in that order, each section in id order; an `end` line with the count of each type closes it,
 * so a reader can tell a complete export from one cut short. Pages are read from D1 only as the
 * client reads the response, one page in memory at a time. Never a secret: instances and keys
 * appear as the admin API shows them (no sealed secret, no key hash).
 */
import { instanceView } from '../../domain/instances'
import { keyView } from '../../domain/keys'
import { etagOf } from '../../model/resource'
import type { Tenant } from '../../model/tenant'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../scim/schemas'
import { serializeResource } from '../../scim/serialize'
import type { Db } from '../../storage/db'
import { parseDocument } from '../../storage/repos/documents'
import {
  agentPages,
  deletionPages,
  dntPages,
  groupPages,
  historyPages,
  instancePages,
  keyPages,
  rolePages,
  userPages,
  type GroupExportRow,
  type UserExportRow,
} from '../../storage/repos/export'
import { historyView } from './history'
import { agentIdentity } from '../agents'

export const NDJSON_MEDIA_TYPE = 'application/x-ndjson'

export interface ExportScope {
  db: Db
  tenant: Tenant
  /** The tenant's SCIM base URL, for each document's `meta.location`. */
  scimBase: string
  exportedAt: string
}

type Line = Record<string, unknown>

/** A JSON column as the admin API shows it: parsed. */
const parsed = (text: string): unknown => JSON.parse(text) as unknown

function userLine(scimBase: string, u: UserExportRow): Line {
  const data = serializeResource(USER_RESOURCE_TYPE, parseDocument(u.data), {
    id: u.id,
    created: u.createdAt,
    lastModified: u.updatedAt,
    version: etagOf(u.version),
    location: `${scimBase}/Users/${u.id}`,
  })
  // The effective role is the product's, not SCIM's: beside the document, as stored.
  return { data, roleId: u.roleId, roleGroupId: u.roleGroupId }
}

function groupLine(scimBase: string, g: GroupExportRow): Line {
  const members = g.members.map((m) => ({
    value: m.value,
    ...(m.display !== null ? { display: m.display } : {}),
  }))
  const data = serializeResource(
    GROUP_RESOURCE_TYPE,
    { ...parseDocument(g.data), members },
    {
      id: g.id,
      created: g.createdAt,
      lastModified: g.updatedAt,
      version: etagOf(g.version),
      location: `${scimBase}/Groups/${g.id}`,
    }
  )
  return { data, roleId: g.roleId }
}

/** The sections, in the order they are written. */
const EXPORT_SECTIONS = [
  'user',
  'group',
  'agent',
  'dnt',
  'deletion',
  'role',
  'instance',
  'key',
  'history',
] as const

type SectionType = (typeof EXPORT_SECTIONS)[number]

interface Section {
  type: SectionType
  pages: AsyncGenerator<Line[]>
}

/** One section: its pages, each row shaped into a line (`data` and what goes beside it). */
async function* shaped<T>(
  type: SectionType,
  pages: AsyncGenerator<T[]>,
  shape: (row: T) => Line
): AsyncGenerator<Line[]> {
  for await (const page of pages) yield page.map((row) => ({ type, ...shape(row) }))
}

const section = <T>(type: SectionType, pages: AsyncGenerator<T[]>, shape: (row: T) => Line) => ({
  type,
  pages: shaped(type, pages, shape),
})

const dataOf =
  <T>(view: (row: T) => unknown) =>
  (row: T): Line => ({ data: view(row) })

/** Generators are lazy: a section's first page is read when the previous section is done. */
function sections({ db, tenant, scimBase }: ExportScope): Section[] {
  const id = tenant.id
  return [
    section('user', userPages(db, id), (u) => userLine(scimBase, u)),
    section('group', groupPages(db, id), (g) => groupLine(scimBase, g)),
    section(
      'agent',
      agentPages(db, id),
      dataOf((a) => ({
        ...agentIdentity(a),
        state: a.state,
        removedAt: a.removedAt,
        doNotTrack: a.doNotTrack,
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
      }))
    ),
    section(
      'dnt',
      dntPages(db, id),
      dataOf(({ tenantId: _, ...d }) => ({ ...d, identifiers: parsed(d.identifiers) }))
    ),
    section(
      'deletion',
      deletionPages(db, id),
      dataOf(({ tenantId: _, ...d }) => ({ ...d, identifiers: parsed(d.identifiers) }))
    ),
    section(
      'role',
      rolePages(db, id),
      dataOf((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt }))
    ),
    section('instance', instancePages(db, id), dataOf(instanceView)),
    section('key', keyPages(db, id), dataOf(keyView)),
    section('history', historyPages(db, id), dataOf(historyView)),
  ]
}

/** The export's lines, a page at a time: `tenant`, the sections in order, then `end`. */
export async function* exportLines(scope: ExportScope): AsyncGenerator<Line[]> {
  const { tenant } = scope
  yield [
    {
      type: 'tenant',
      exportedAt: scope.exportedAt,
      data: {
        id: tenant.id,
        name: tenant.name,
        region: tenant.region,
        createdAt: tenant.createdAt,
        roleMode: tenant.roleMode,
        defaultRoleId: tenant.defaultRoleId,
        scimUrl: scope.scimBase,
      },
    },
  ]
  const counts = Object.fromEntries(EXPORT_SECTIONS.map((t) => [t, 0]))
  for (const { type, pages } of sections(scope)) {
    for await (const page of pages) {
      counts[type] = (counts[type] ?? 0) + page.length
      yield page
    }
  }
  yield [{ type: 'end', counts }]
}

/**
 * Pages of lines as an NDJSON byte stream that reads the next page only when the client has
 * taken the previous one (pull), so a slow client never makes the Worker buffer the tenant. A
 * failure mid-way ends the stream in error (the client sees no `end` line) and is logged.
 */
export function ndjsonStream(
  pages: AsyncGenerator<Line[]>,
  onError: (error: unknown) => void
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pages.next()
        if (next.done) controller.close()
        else
          controller.enqueue(
            encoder.encode(next.value.map((l) => `${JSON.stringify(l)}\n`).join(''))
          )
      } catch (error) {
        onError(error)
        controller.error(error)
      }
    },
    async cancel() {
      await pages.return(undefined)
    },
  })
}
