import { describe, it } from 'vitest'
import {
  ACTIVTRAK_USER_SCHEMA,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
} from '../../../../src/scim/constants'
import {
  ALL_SCHEMAS,
  ENTERPRISE_USER_SCHEMA_DEF,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA_DEF,
  USER_RESOURCE_TYPE,
  USER_SCHEMA_DEF,
} from '../../../../src/scim/schemas'
import {
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from '../../../../src/scim/schemas/discovery'

const BASE = 'https://scim.test/scim/v2'

type Attr = Record<string, unknown> & { name: string; subAttributes?: Attr[] }
const attributesOf = (doc: Record<string, unknown>): Attr[] => doc.attributes as Attr[]
const find = (attrs: Attr[] | undefined, name: string): Attr | undefined =>
  attrs?.find((a) => a.name === name)

describe('schemaResource', () => {
  it('Should describe a schema as RFC 7643 §7 does', ({ expect }) => {
    const doc = schemaResource(USER_SCHEMA_DEF, BASE)
    expect(doc).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: CORE_USER_SCHEMA,
      name: 'User',
      description: 'User Account',
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${CORE_USER_SCHEMA}` },
    })
    expect(Object.keys(doc)).toEqual(['schemas', 'id', 'name', 'description', 'attributes', 'meta'])
  })

  it('Should spell out every characteristic of an attribute', ({ expect }) => {
    const attrs = attributesOf(schemaResource(USER_SCHEMA_DEF, BASE))
    expect(find(attrs, 'userName')).toStrictEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: expect.stringContaining('Unique identifier for the User') as unknown,
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    })
    expect(find(find(attrs, 'emails')?.subAttributes, 'type')).toMatchObject({
      canonicalValues: ['work', 'home', 'other'],
    })
    expect(find(attrs, 'profileUrl')).toMatchObject({ referenceTypes: ['external'] })
    expect(find(attrs, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' })
    expect(find(attrs, 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true })
  })

  it('Should leave the common attributes out of the schemas (RFC 7643 §3.1)', ({ expect }) => {
    for (const schema of ALL_SCHEMAS) {
      const names = attributesOf(schemaResource(schema, BASE)).map((a) => a.name)
      expect(names).not.toContain('id')
      expect(names).not.toContain('meta')
      expect(names).not.toContain('externalId')
    }
  })

  it('Should describe the extensions and the Group schema', ({ expect }) => {
    const manager = find(attributesOf(schemaResource(ENTERPRISE_USER_SCHEMA_DEF, BASE)), 'manager')
    expect(manager?.subAttributes?.map((s) => [s.name, s.mutability])).toEqual([
      ['value', 'readWrite'],
      ['$ref', 'readWrite'],
      ['displayName', 'readOnly'],
    ])
    const members = find(attributesOf(schemaResource(GROUP_SCHEMA_DEF, BASE)), 'members')
    expect(find(members?.subAttributes, 'type')).toMatchObject({ canonicalValues: ['User'] })
    expect(schemaResource(GROUP_SCHEMA_DEF, BASE).meta).toStrictEqual({
      resourceType: 'Schema',
      location: `${BASE}/Schemas/${CORE_GROUP_SCHEMA}`,
    })
  })

  it('Should produce plain JSON', ({ expect }) => {
    for (const schema of ALL_SCHEMAS) {
      const doc = schemaResource(schema, BASE)
      expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc)
    }
  })
})

describe('resourceTypeResource', () => {
  it('Should describe User with its two optional extensions', ({ expect }) => {
    expect(resourceTypeResource(USER_RESOURCE_TYPE, BASE)).toStrictEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: CORE_USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: ACTIVTRAK_USER_SCHEMA, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    })
  })

  it('Should describe Group without extensions', ({ expect }) => {
    expect(resourceTypeResource(GROUP_RESOURCE_TYPE, BASE)).toStrictEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: CORE_GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/Group` },
    })
  })
})

describe('serviceProviderConfig', () => {
  const opts = {
    baseUrl: BASE,
    maxResults: 1000,
    maxPayloadBytes: 2_097_152,
    defaultPageSize: 100,
    maxPageSize: 1000,
    cursorTimeoutSeconds: 86_400,
  }

  it('Should advertise what the service implements (RFC 7643 §5, RFC 9865)', ({ expect }) => {
    expect(serviceProviderConfig(opts)).toStrictEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 2_097_152 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: expect.any(String) as unknown,
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          primary: true,
        },
      ],
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: 100,
        maxPageSize: 1000,
        cursorTimeout: 86_400,
      },
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    })
  })

  it('Should include documentationUri only when given', ({ expect }) => {
    expect('documentationUri' in serviceProviderConfig(opts)).toBe(false)
    const docs = 'https://docs.example.com/scim'
    expect(serviceProviderConfig({ ...opts, documentationUri: docs }).documentationUri).toBe(docs)
  })
})
