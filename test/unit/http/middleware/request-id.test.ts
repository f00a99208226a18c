/**
 * The log line's path is cut from the request URL without parsing it again: it must be exactly
 * the pathname the URL parser gives.
 */
import { describe, it } from 'vitest'
import { pathOf } from '../../../../src/http/middleware/request-id'

describe('pathOf', () => {
  it.for([
    'https://scim.example.com/scim/v2/Users',
    'https://scim.example.com/scim/v2/Users?filter=userName%20eq%20%22a%22',
    'http://127.0.0.1:8787/scim/v2/Users/01a2-b3?attributes=userName',
    'https://scim.example.com/',
    'https://scim.example.com',
    'https://scim.example.com/scim/v2/Groups/a%2Fb%20c',
    'https://scim.example.com/health?x=/y?z',
  ])('Should give the pathname of %s', (url, { expect }) => {
    expect(pathOf(new Request(url).url)).toBe(new URL(url).pathname)
  })
})
