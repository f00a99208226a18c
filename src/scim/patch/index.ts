/**
 * @module PATCH (RFC 7644 §3.5.2): request validation, the document engine and the split of
 * group membership changes.
 */
export { applyPatch } from './apply'
export { planGroupPatch, type MemberChange } from './group-plan'
export { parsePatchRequest } from './parse'
