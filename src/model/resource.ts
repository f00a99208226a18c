/**
 * @module A stored SCIM resource and its version tag, shared by storage and the domain. `version` counts writes; the ETag is
 * weak (RFC 7232 §2.3) because the representation varies with attributes/excludedAttributes.
 */
/** A resource as storage holds it and the domain writes it. */
export interface StoredResource {
  id: string
  /** The SCIM document: the protocol's `ScimDocument` (src/scim/schemas/attribute.ts). */
  doc: Record<string, unknown>
  version: number
  createdAt: string
  updatedAt: string
}

export const etagOf = (version: number): string => `W/"${String(version)}"`

/**
 * RFC 7232 §3.1: If-Match holds `*` or a list of tags; weak comparison is enough here since
 * the tag names the stored version, not a byte representation.
 */
export function etagMatches(header: string, version: number): boolean {
  const current = String(version)
  return header.split(',').some((raw) => {
    const tag = raw.trim()
    return tag === '*' || tag.replace(/^W\//, '').replace(/^"|"$/g, '') === current
  })
}
