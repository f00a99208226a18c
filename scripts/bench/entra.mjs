/**
 * The Entra-shaped load of the comparative bench, as phases of one request kind each, so every
 * kind gets its own throughput, latency, D1 round trips and server CPU: lookups before creates,
 * creates, member PATCHes (Entra adds members in PATCHes of a few), incremental PATCHes, reads,
 * a list walk, and a verify pass that reads every group back and checks its members exactly.
 * The same phases run against the product and the minimal floor; `state` holds one tenant's ids.
 */
import { randomUUID } from 'node:crypto'
import { ENTRA, userName } from './config.mjs'
import { PATCH_OP, filterQuery, userBody } from './provision.mjs'

const { users: U, groups: G, membersPerGroup, membersPerPatch } = ENTRA
const patchesPerGroup = Math.ceil(membersPerGroup / membersPerPatch)

/** The first user of group g's block of members (blocks wrap around the users). */
const blockStart = (g) => (g * membersPerGroup) % U
const block = (g) => Array.from({ length: membersPerGroup }, (_, j) => (blockStart(g) + j) % U)
/** The user the incremental PATCH adds to group g: the first one after its block. */
const joiner = (g) => (blockStart(g) + membersPerGroup) % U

export const newState = () => ({ ids: new Array(U), groupIds: new Array(G) })

const need = (v, what) => {
  if (v === undefined) throw new Error(`${what} was not created`)
  return v
}
const userId = (s, i) => need(s.ids[i], `user ${i}`)
const groupId = (s, g) => need(s.groupIds[g], `group ${g}`)
const members = (s, indexes) => indexes.map((i) => ({ value: userId(s, i) }))
const patch = (...Operations) => ({ schemas: [PATCH_OP], Operations })

function expectTotal(r, n, what) {
  if (r.totalResults !== n) throw new Error(`${what}: totalResults ${r.totalResults}, not ${n}`)
}

/** Display name a user gets from the incremental PATCH. */
const renamed = (i) => `Bench User ${i} (renamed)`

/**
 * The phases in order: `kind` names the request, `count` the requests, `task(i)` sends one.
 * `scim` is the target's client (scripts/bench/http.mjs).
 */
export function entraPhases(scim, s) {
  const phases = [
    [
      'lookupNone',
      'GET /Users?filter= (no match)',
      U,
      async (i) => {
        const r = await scim(
          'GET',
          `/Users${filterQuery(`userName eq "${userName(i)}"`)}`,
          undefined,
          200
        )
        expectTotal(r, 0, `new user ${i}`)
      },
    ],
    [
      'createUser',
      'POST /Users',
      U,
      async (i) => {
        s.ids[i] = (await scim('POST', '/Users', userBody(userName(i), `ext${i}`), 201)).id
      },
    ],
    [
      'lookupGroupNone',
      'GET /Groups?filter= (no match)',
      G,
      async (g) => {
        const q = `${filterQuery(`displayName eq "Bench Group ${g}"`)}&excludedAttributes=members`
        expectTotal(await scim('GET', `/Groups${q}`, undefined, 200), 0, `new group ${g}`)
      },
    ],
    [
      'createGroup',
      'POST /Groups',
      G,
      async (g) => {
        const body = { displayName: `Bench Group ${g}`, externalId: randomUUID() }
        s.groupIds[g] = (await scim('POST', '/Groups', body, 201)).id
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
        expectTotal(await scim('GET', `/Users${q}`, undefined, 200), 1, `lookup of user ${i}`)
      },
    ],
    [
      'getUser',
      'GET /Users/{id}',
      Math.ceil(U / 2),
      async (k) => {
        const i = 2 * k
        const r = await scim('GET', `/Users/${userId(s, i)}`, undefined, 200)
        if (i % 4 === 0 && r.displayName !== renamed(i)) throw new Error(`user ${i} not renamed`)
      },
    ],
    [
      'listPage',
      'GET /Users (page of 100)',
      Math.ceil(U / 100),
      async (p) => {
        const r = await scim('GET', `/Users?startIndex=${1 + 100 * p}&count=100`, undefined, 200)
        const want = Math.min(100, U - 100 * p)
        if (r.Resources.length !== want) throw new Error(`page ${p}: ${r.Resources.length} users`)
      },
    ],
    [
      'verifyGroup',
      'GET /Groups/{id} (verify)',
      G,
      async (g) => {
        const r = await scim('GET', `/Groups/${groupId(s, g)}`, undefined, 200)
        const want = [...block(g).filter((i) => i !== blockStart(g)), joiner(g)].map((i) =>
          userId(s, i)
        )
        const got = (r.members ?? []).map((m) => m.value)
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
export function latencyPhases(scim, s, round) {
  const { latencyPhaseMaxS: maxS } = ENTRA
  const outsider = (g, j) => (blockStart(g) + Math.floor(U / 2) + membersPerPatch * round + j) % U
  return [
    {
      key: 'memberPatch',
      kind: `PATCH /Groups (add ${membersPerPatch})`,
      count: G,
      maxS,
      task: async (g) => {
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
      task: async (k) => {
        await scim('GET', `/Users/${userId(s, (k * 7919) % U)}`, undefined, 200)
      },
    },
    {
      key: 'lookupMatch',
      kind: 'GET /Users?filter= (match)',
      count: Math.ceil(U / 10),
      maxS,
      task: async (k) => {
        const q = filterQuery(`userName eq "${userName((k * 7919) % U)}"`)
        expectTotal(await scim('GET', `/Users${q}`, undefined, 200), 1, 'lookup')
      },
    },
  ]
}
