/**
 * The Entra-style initial provisioning cycle: for each user a lookup by filter then a POST; for
 * each group a lookup, a POST, then member PATCHes (Entra sends members in small Add batches).
 */
import { randomUUID } from 'node:crypto'
import { CONCURRENCY, SIZES, userName } from './config.ts'
import type { Call } from './http.ts'
import { runPhase, type PhaseResult } from './measure.ts'
import { listResponse, withId } from './responses.ts'

/** The ids of created users (or groups) by index; undefined where a create failed. */
export type Ids = (string | undefined)[]

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const filterQuery = (f: string): string => `?filter=${encodeURIComponent(f)}`

/** The SCIM body the bench creates a user with: its work email equals its userName. */
export const userBody = (name: string, externalId: string) => ({
  userName: name,
  externalId,
  active: true,
  emails: [{ value: name, type: 'work', primary: true }],
})

/** Index of the first user of group g's member block (groups own disjoint blocks, mod USERS). */
export const memberBlockStart = (g: number): number => (g * SIZES.membersPerGroup) % SIZES.users

/** Creates the users; `ids[i]` is set for every user that was created. */
export async function provisionUsers(scim: Call, ids: Ids): Promise<PhaseResult> {
  return runPhase({
    name: 'provision users (lookup+POST)',
    count: SIZES.users,
    concurrency: CONCURRENCY,
    task: async (i: number) => {
      const filter = filterQuery(`userName eq "${userName(i)}"`)
      const found = await scim('GET', `/Users${filter}`, undefined, 200, listResponse)
      if (found.totalResults !== 0)
        throw new Error(`new user ${i} found ${found.totalResults} times`)
      ids[i] = (await scim('POST', '/Users', userBody(userName(i), `ext${i}`), 201, withId)).id
    },
  })
}

export async function provisionGroups(scim: Call, groupIds: Ids): Promise<PhaseResult> {
  return runPhase({
    name: 'provision groups (lookup+POST)',
    count: SIZES.groups,
    concurrency: CONCURRENCY,
    task: async (g: number) => {
      const filter = filterQuery(`displayName eq "Bench Group ${g}"`)
      const path = `/Groups${filter}&excludedAttributes=members`
      const found = await scim('GET', path, undefined, 200, listResponse)
      if (found.totalResults !== 0)
        throw new Error(`new group ${g} found ${found.totalResults} times`)
      const body = { displayName: `Bench Group ${g}`, externalId: randomUUID() }
      groupIds[g] = (await scim('POST', '/Groups', body, 201, withId)).id
    },
  })
}

/** PATCH Add of a list of user ids to a group's members, as Entra sends it. */
export function addMembers(scim: Call, groupId: string, userIds: string[]): Promise<unknown> {
  const op = { op: 'Add', path: 'members', value: userIds.map((value) => ({ value })) }
  return scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [op] }, 204)
}

/** Adds members to every created group, `membersPerPatch` per PATCH, one block per group. */
export async function provisionMembers(scim: Call, ids: Ids, groupIds: Ids): Promise<PhaseResult> {
  const { membersPerGroup, membersPerPatch, users, groups } = SIZES
  const patchesPerGroup = Math.ceil(membersPerGroup / membersPerPatch)
  return runPhase({
    name: `member PATCHes (${membersPerPatch} per PATCH)`,
    count: groups * patchesPerGroup,
    concurrency: CONCURRENCY,
    task: async (k: number) => {
      const g = Math.floor(k / patchesPerGroup)
      const first = memberBlockStart(g) + (k % patchesPerGroup) * membersPerPatch
      const members = Array.from({ length: membersPerPatch }, (_, j) => ids[(first + j) % users])
      const groupId = groupIds[g]
      const userIds = members.filter((id) => id !== undefined)
      if (groupId === undefined || userIds.length < members.length) {
        throw new Error(`group ${g} or one of its users was not created`)
      }
      await addMembers(scim, groupId, userIds)
    },
  })
}

/**
 * Every created user into one new group, `membersPerPatch` per PATCH, as an IdP's first push
 * builds an "All employees" group: its PATCHes should cost what a small group's do, however
 * many members it holds by then.
 */
export async function provisionOneGroup(scim: Call, ids: Ids): Promise<PhaseResult> {
  const { membersPerPatch } = SIZES
  const userIds = ids.filter((id) => id !== undefined)
  const body = { displayName: 'Bench All Users', externalId: randomUUID() }
  const { id } = await scim('POST', '/Groups', body, 201, withId)
  return runPhase({
    name: `member PATCHes into one group of ${userIds.length} (${membersPerPatch} per PATCH)`,
    count: Math.ceil(userIds.length / membersPerPatch),
    concurrency: CONCURRENCY,
    task: (k: number) =>
      addMembers(scim, id, userIds.slice(k * membersPerPatch, (k + 1) * membersPerPatch)),
  })
}
