/**
 * The Entra-shaped load of the comparative bench, as phases of one request kind each, so every
 * kind gets its own throughput, latency, D1 round trips and server CPU: lookups before creates,
 * creates, member PATCHes (Entra adds members in PATCHes of a few), incremental PATCHes, reads,
 * a list walk, and a verify pass that reads every group back and checks its members exactly.
 * The same phases run against the product and the minimal floor; `state` holds one tenant's ids.
 */
import { randomUUID } from 'node:crypto'
import { ENTRA, userName } from './config.ts'
import type { Call } from './http.ts'
import { PATCH_OP, filterQuery, userBody, type Ids } from './provision.ts'
import { listResponse, scimGroup, scimUser, withId } from './responses.ts'

/** One tenant's ids, filled by the load as it creates users and groups. */
export interface LoadState {
  ids: Ids
  groupIds: Ids
}

/** One phase of the load: `task(i)` sends request i of `count`. */
export interface LoadPhase {
  key: string
  kind: string
  count: number
  maxS?: number
  task: (i: number) => Promise<void>
}

const { users: U, groups: G, membersPerGroup, membersPerPatch } = ENTRA
const patchesPerGroup = Math.ceil(membersPerGroup / membersPerPatch)

/** The first user of group g's block of members (blocks wrap around the users). */
const blockStart = (g: number): number => (g * membersPerGroup) % U
const block = (g: number): number[] =>
  Array.from({ length: membersPerGroup }, (_, j) => (blockStart(g) + j) % U)
/** The user the incremental PATCH adds to group g: the first one after its block. */
const joiner = (g: number): number => (blockStart(g) + membersPerGroup) % U

export const newState = (): LoadState => ({
  ids: Array.from({ length: U }, () => undefined),
  groupIds: Array.from({ length: G }, () => undefined),
})

const need = (v: string | undefined, what: string): string => {
  if (v === undefined) throw new Error(`${what} was not created`)
  return v
}
const userId = (s: LoadState, i: number): string => need(s.ids[i], `user ${i}`)
const groupId = (s: LoadState, g: number): string => need(s.groupIds[g], `group ${g}`)
const members = (s: LoadState, indexes: number[]): { value: string }[] =>
  indexes.map((i) => ({ value: userId(s, i) }))
const patch = (...Operations: { op: string; path: string; value: unknown }[]) => ({
  schemas: [PATCH_OP],
  Operations,
})

function expectTotal(r: { totalResults: number }, n: number, what: string): void {
  if (r.totalResults !== n) throw new Error(`${what}: totalResults ${r.totalResults}, not ${n}`)
}

/** Display name a user gets from the incremental PATCH. */
const renamed = (i: number): string => `Bench User ${i} (renamed)`

/**
 * The phases in order: `kind` names the request, `count` the requests, `task(i)` sends one.
 * `scim` is the target's client (scripts/bench/http.ts).
 */
export function entraPhases(scim: Call, s: LoadState): LoadPhase[] {
  const phases: [string, string, number, (i: number) => Promise<void>][] = [
    [
      'lookupNone',
      'GET /Users?filter= (no match)',
      U,
      async (i) => {
        const r = await scim(
          'GET',
          `/Users${filterQuery(`userName eq "${userName(i)}"`)}`,
          undefined,
          200,
          listResponse
        )
        expectTotal(r, 0, `new user ${i}`)
      },
    ],
    [
      'createUser',
      'POST /Users',
      U,
      async (i) => {
        const body = userBody(userName(i), `ext${i}`)
        s.ids[i] = (await scim('POST', '/Users', body, 201, withId)).id
      },
    ],
    [
      'lookupGroupNone',
      'GET /Groups?filter= (no match)',
      G,
      async (g) => {
        const q = `${filterQuery(`displayName eq "Bench Group ${g}"`)}&excludedAttributes=members`
        const r = await scim('GET', `/Groups${q}`, undefined, 200, listResponse)
        expectTotal(r, 0, `new group ${g}`)
      },
    ],
    [
      'createGroup',
      'POST /Groups',
      G,
      async (g) => {
        const body = { displayName: `Bench Group ${g}`, externalId: randomUUID() }
        s.groupIds[g] = (await scim('POST', '/Groups', body, 201, withId)).id
      },
    ],
    [
      'memberPatch',
      `PATCH /Groups (add ${membersPerPatch})`,
      G * patchesPerGroup,
      async (k) => {
        const g = Math.floor(k / patchesPerGroup)
        const part = block(g)
          .slice((k % patchesPerGroup) * membersPerPatch)
          .slice(0, membersPerPatch)
        const op = { op: 'Add', path: 'members', value: members(s, part) }
        await scim('PATCH', `/Groups/${groupId(s, g)}`, patch(op), 204)
      },
    ],
    [
      'userPatch',
      'PATCH /Users (replace)',
      Math.ceil(U / 4),
      async (k) => {
        const op = { op: 'Replace', path: 'displayName', value: renamed(4 * k) }
        await scim('PATCH', `/Users/${userId(s, 4 * k)}`, patch(op), 200)
      },
    ],
    [
      'groupIncremental',
      'PATCH /Groups (add 1, remove 1)',
      G,
      async (g) => {
        const add = { op: 'Add', path: 'members', value: members(s, [joiner(g)]) }
        const remove = { op: 'Remove', path: 'members', value: members(s, [blockStart(g)]) }
        await scim('PATCH', `/Groups/${groupId(s, g)}`, patch(add, remove), 204)
      },
    ],
    [
      'lookupMatch',
      'GET /Users?filter= (match)',
      Math.ceil(U / 2),
      async (k) => {
        const i = (k * 7919) % U
        const q = filterQuery(`userName eq "${userName(i).toUpperCase()}"`)
        const r = await scim('GET', `/Users${q}`, undefined, 200, listResponse)
        expectTotal(r, 1, `lookup of user ${i}`)
      },
    ],
    [
      'getUser',
      'GET /Users/{id}',
      Math.ceil(U / 2),
      async (k) => {
        const i = 2 * k
        const r = await scim('GET', `/Users/${userId(s, i)}`, undefined, 200, scimUser)
        if (i % 4 === 0 && r.displayName !== renamed(i)) throw new Error(`user ${i} not renamed`)
      },
    ],
    [
      'listPage',
      'GET /Users (page of 100)',
      Math.ceil(U / 100),
      async (p) => {
        const path = `/Users?startIndex=${1 + 100 * p}&count=100`
        const r = await scim('GET', path, undefined, 200, listResponse)
        const want = Math.min(100, U - 100 * p)
        if (r.Resources.length !== want) throw new Error(`page ${p}: ${r.Resources.length} users`)
      },
    ],
    [
      'verifyGroup',
      'GET /Groups/{id} (verify)',
      G,
      async (g) => {
        const r = await scim('GET', `/Groups/${groupId(s, g)}`, undefined, 200, scimGroup)
        const want = [...block(g).filter((i) => i !== blockStart(g)), joiner(g)].map((i) =>
          userId(s, i)
        )
        const got = r.members.map((m) => m.value)
        if (got.length !== want.length || !want.every((id) => got.includes(id))) {
          throw new Error(`group ${g}: ${got.length} members, expected ${want.length} (or others)`)
        }
      },
    ],
  ]
  return phases.map(([key, kind, count, task]) => ({ key, kind, count, task }))
}

/**
 * The phases run again at an injected D1 latency (on a tenant the load provisioned): member
 * PATCHes adding users from outside each group's block (`round` keeps rounds apart), and reads.
 */
export function latencyPhases(scim: Call, s: LoadState, round: number): LoadPhase[] {
  const { latencyPhaseMaxS: maxS } = ENTRA
  const outsider = (g: number, j: number): number =>
    (blockStart(g) + Math.floor(U / 2) + membersPerPatch * round + j) % U
  return [
    {
      key: 'memberPatch',
      kind: `PATCH /Groups (add ${membersPerPatch})`,
      count: G,
      maxS,
      task: async (g: number) => {
        const part = Array.from({ length: membersPerPatch }, (_, j) => outsider(g, j))
        const op = { op: 'Add', path: 'members', value: members(s, part) }
        await scim('PATCH', `/Groups/${groupId(s, g)}`, patch(op), 204)
      },
    },
    {
      key: 'getUser',
      kind: 'GET /Users/{id}',
      count: Math.ceil(U / 10),
      maxS,
      task: async (k: number) => {
        await scim('GET', `/Users/${userId(s, (k * 7919) % U)}`, undefined, 200)
      },
    },
    {
      key: 'lookupMatch',
      kind: 'GET /Users?filter= (match)',
      count: Math.ceil(U / 10),
      maxS,
      task: async (k: number) => {
        const q = filterQuery(`userName eq "${userName((k * 7919) % U)}"`)
        expectTotal(await scim('GET', `/Users${q}`, undefined, 200, listResponse), 1, 'lookup')
      },
    },
  ]
}
