/**
 * @module PATCH (RFC 7644 §3.5.2): request validation, the document engine and the split of
 * group membership changes.
 */
export { applyPatch, type PatchResult } from './apply'
export { planGroupPatch, type GroupPatchPlan, type MemberChange } from './group-plan'
export { MAX_PATCH_OPERATIONS, parsePatchRequest } from './parse'
export type { PatchContext } from './target'
export type { PatchOpName, PatchOperation } from './types'
