/**
 * @module Which agents an admin may merge. A merge folds two or more agents of one user into one
 * (the survivor): as the Okta guide puts it, a user with several agents otherwise counts once per
 * agent in every group. Only agents that hold a license and are linked to the same user qualify;
 * an agent already folded into another cannot be merged again, and a survivor can take more agents
 * but cannot itself be folded (merges never chain).
 */

/** Agents one merge may name: a person's devices, with room to spare. */
export const MAX_AGENTS_PER_MERGE = 100

export interface MergeRequest {
  /** The survivor: it keeps the license and the group membership. */
  into: string
  /** The agents to fold into it (`into` may be repeated here). */
  agentIds: readonly string[]
  /** When given, every agent must belong to this user. */
  userId?: string | undefined
}

/** What the rules need to know about each named agent. */
export interface MergeCandidate {
  id: string
  userId: string | null
  state: 'active' | 'removed' | 'merged'
  mergedInto: string | null
  mergeId: string | null
  /** Other agents are folded into it already. */
  hasMergedAgents: boolean
}

export interface MergePlan {
  userId: string
  into: string
  /** The agents folded into `into`, in the order named. */
  absorbed: string[]
}

export interface MergeRefusal {
  status: 400 | 404 | 409
  message: string
}

const quoted = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(', ')

const refuse = (status: MergeRefusal['status'], message: string): MergeRefusal => ({
  status,
  message,
})

/** The first rule the named agents break, checked agent by agent. */
function refusalOf(all: readonly MergeCandidate[], request: MergeRequest): MergeRefusal | null {
  const removed = all.filter((a) => a.state === 'removed').map((a) => a.id)
  if (removed.length)
    return refuse(
      409,
      `Agent(s) ${quoted(removed)} were removed (their user was deleted) and hold no license; only active agents can be merged`
    )
  const merged = all.find((a) => a.state === 'merged')
  if (merged)
    return refuse(
      409,
      `Agent "${merged.id}" is already merged into "${merged.mergedInto ?? ''}" (merge "${merged.mergeId ?? ''}"); undo that merge first`
    )
  const unlinked = all.filter((a) => a.userId === null).map((a) => a.id)
  if (unlinked.length)
    return refuse(
      409,
      `Agent(s) ${quoted(unlinked)} are not linked to a user; only agents linked to the same user can be merged`
    )
  const other = request.userId === undefined ? [] : all.filter((a) => a.userId !== request.userId)
  if (other.length)
    return refuse(
      409,
      `Agent(s) ${quoted(other.map((a) => a.id))} do not belong to user "${request.userId ?? ''}"`
    )
  if (new Set(all.map((a) => a.userId)).size > 1)
    return refuse(
      409,
      `The agents belong to different users (${all.map((a) => `"${a.id}" → "${a.userId ?? ''}"`).join(', ')}); only agents of one user can be merged`
    )
  const survivors = all.filter((a) => a.id !== request.into && a.hasMergedAgents).map((a) => a.id)
  if (survivors.length)
    return refuse(
      409,
      `Agent(s) ${quoted(survivors)} already have agents merged into them; merge into one of them instead, or undo their merges first`
    )
  return null
}

/** The merge to make, or why it is refused (with the status the admin API answers). */
export function planMerge(
  request: MergeRequest,
  found: readonly MergeCandidate[]
): MergePlan | MergeRefusal {
  const ids = [...new Set([request.into, ...request.agentIds])]
  if (ids.length < 2)
    return refuse(
      400,
      'A merge needs at least two different agents: "into" and at least one other agent in "agentIds"'
    )
  const byId = new Map(found.map((a) => [a.id, a]))
  const missing = ids.filter((id) => !byId.has(id))
  if (missing.length) return refuse(404, `Agent(s) not found: ${quoted(missing)}`)
  const all = ids.flatMap((id) => byId.get(id) ?? [])
  const refusal = refusalOf(all, request)
  if (refusal) return refusal
  const userId = all[0]?.userId
  if (userId === undefined || userId === null) return refuse(409, 'The agents have no user')
  return { userId, into: request.into, absorbed: ids.filter((id) => id !== request.into) }
}

/**
 * Whether a link change ends the merges folded into the agent: they hold only while the survivor
 * stays linked to the merge's user. When it moves to another user or loses its link, its merges
 * end and each folded agent is linked again on its own identifiers.
 */
export const survivorMoved = (from: string | null, to: string | null): boolean =>
  from !== null && from !== to
