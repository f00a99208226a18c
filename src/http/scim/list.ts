/**
 * @module The ListResponse of a list or search of Users or Groups (RFC 7644 §3.4.2): the page
 * planned and read by storage (src/storage/resource-list.ts), shaped for the client.
 */
import { LIST_RESPONSE_SCHEMA } from '../../scim/constants'
import type { ListPage } from '../../storage/resource-list'

export function listResponse(page: ListPage, resources: unknown[]): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.totalResults,
    itemsPerPage: resources.length,
    ...(page.startIndex !== undefined ? { startIndex: page.startIndex } : {}),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  }
}
