/**
 * @module The provisioning history in words an IT admin reads: each recorded op (`user.create`,
 * `membership.add`…) as a phrase, the ops grouped by family for the History page's filter, who
 * acted, and each recorded change as `attribute: before → after` (lists as value counts).
 * Pure: the page and the CSV export share it.
 */
import { z } from 'zod'

/** Every op the history records, in words, by family. */
const FAMILIES = {
  user: {
    label: 'Users',
    ops: {
      create: 'User created',
      update: 'User updated',
      suspend: 'User suspended',
      restore: 'User reactivated',
      delete: 'User deleted',
    },
  },
  group: {
    label: 'Groups',
    ops: {
      create: 'Group created',
      update: 'Group updated',
      delete: 'Group deleted',
      role: "Group's role changed",
    },
  },
  membership: {
    label: 'Group memberships',
    ops: { add: 'Added to a group', remove: 'Removed from a group' },
  },
  agent: {
    label: 'User agents',
    ops: {
      link: 'User agent linked',
      unlink: 'User agent unlinked',
      merge: 'User agent merged',
      unmerge: 'User agent merge ended',
      remove: 'User agent removed',
      restore: 'User agent back',
    },
  },
  dnt: {
    label: 'Do Not Track',
    ops: { add: 'Added to Do Not Track', remove: 'Removed from Do Not Track' },
  },
  role: {
    label: 'Roles',
    ops: { create: 'Role created', delete: 'Role deleted', change: 'Effective role changed' },
  },
  deletion: {
    label: 'Deletions',
    ops: {
      request: 'Deletion requested',
      retry: 'Deletion checked, purged again',
      verified: 'Deletion verified',
      failed: 'Deletion failed',
    },
  },
  tenant: {
    label: 'Organization',
    ops: { create: 'Organization created', roles: 'Role settings changed' },
  },
  instance: {
    label: 'Integrations',
    ops: {
      create: 'Integration added',
      update: 'Integration changed',
      enable: 'Integration enabled',
      disable: 'Integration disabled',
      delete: 'Integration deleted',
    },
  },
  key: {
    label: 'API keys',
    ops: {
      create: 'API key created',
      regenerate: 'API key regenerated',
      revoke: 'API key revoked',
    },
  },
  admin: {
    label: 'Console admins',
    ops: {
      invite: 'Admin invited',
      reinvite: 'Admin sent a new invitation',
      password_set: 'Admin set a password',
      password_change: 'Admin changed password',
      role: "Admin's role changed",
      remove: 'Admin removed',
      signin: 'Admin signed in',
      signin_failed: 'Admin sign-in refused',
      signout: 'Admin signed out',
    },
  },
} as const satisfies Record<string, { label: string; ops: Record<string, string> }>

export interface OpFamily {
  /** The family filter value: its prefix, ending with a dot (`user.`). */
  value: string
  label: string
  ops: { value: string; label: string }[]
}

/** The ops by family, in the order the filter lists them. */
export const OP_FAMILIES: readonly OpFamily[] = Object.entries(FAMILIES).map(([name, f]) => ({
  value: `${name}.`,
  label: f.label,
  ops: Object.entries(f.ops).map(([op, label]) => ({ value: `${name}.${op}`, label })),
}))

const WORDS = new Map(OP_FAMILIES.flatMap((f) => f.ops.map((o) => [o.value, o.label] as const)))

/** Every value the op filter accepts: each op and each family. */
export const OP_FILTER_VALUES: readonly string[] = OP_FAMILIES.flatMap((f) => [
  f.value,
  ...f.ops.map((o) => o.value),
])

/** An op in words; an op this console does not know yet reads as itself. */
export const opWords = (op: string): string => WORDS.get(op) ?? op

/** Who can act, as the history's filter and entries name them. */
export const ACTOR_WORDS = {
  scim: 'Identity provider (SCIM)',
  sync: 'Directory sync',
  admin: 'Console admin',
  operator: 'Operator',
  agent: 'Agent API',
  system: 'System',
} as const

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])

const ChangeSchema = z.object({
  attr: z.string(),
  before: Scalar.optional(),
  after: Scalar.optional(),
  countBefore: z.number().optional(),
  countAfter: z.number().optional(),
})

export type Change = z.infer<typeof ChangeSchema>

/** An entry's recorded changes; a record this console cannot read shows none, not an error. */
export function parseChanges(json: string): Change[] {
  try {
    const parsed = z.array(ChangeSchema).safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

const valueText = (v: z.infer<typeof Scalar> | undefined): string =>
  v === undefined || v === null || v === '' ? '—' : String(v)

const countText = (n: number | undefined): string =>
  n === undefined ? '—' : `${String(n)} value${n === 1 ? '' : 's'}`

/**
 * One change in words: `attr: before → after`. A multi-valued attribute is recorded as value
 * counts; `names` turns ids (of roles, groups, agents) into names where the page knows them.
 */
export function changeText(change: Change, names: (id: string) => string | undefined): string {
  if (change.countBefore !== undefined || change.countAfter !== undefined)
    return `${change.attr}: ${countText(change.countBefore)} → ${countText(change.countAfter)}`
  const named = (v: Change['before']) =>
    typeof v === 'string' ? (names(v) ?? valueText(v)) : valueText(v)
  if (change.before === undefined) return `${change.attr}: ${named(change.after)}`
  return `${change.attr}: ${named(change.before)} → ${named(change.after)}`
}
