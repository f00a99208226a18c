/**
 * @module SCIM protocol errors (RFC 7644 §3.12): one error type thrown everywhere inside the
 * service, and the single place that knows which scimType goes with which HTTP status.
 */

/** scimType values of RFC 7644 §3.12 plus the cursor errors of RFC 9865 §6. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount'

/** HTTP statuses a SCIM endpoint answers with an error body. */
export type ScimErrorStatus =
  400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 429 | 500 | 501 | 503

/** Which status each scimType belongs to; a mismatch is a programming error. */
const STATUS_OF_TYPE = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 403,
  invalidCursor: 400,
  expiredCursor: 400,
  invalidCount: 400,
} as const satisfies Record<ScimType, ScimErrorStatus>

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** The wire shape of an error (status is a string, as the RFC's examples and schema have it). */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA]
  status: string
  scimType?: ScimType
  detail: string
}

/** An error with a SCIM meaning; the HTTP layer turns it into a response with {@link toErrorBody}. */
export class ScimError extends Error {
  readonly status: ScimErrorStatus
  readonly scimType: ScimType | undefined
  /** Extra response headers, e.g. Retry-After for 429. */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: ScimErrorStatus,
    detail: string,
    scimType?: ScimType,
    headers: Readonly<Record<string, string>> = {}
  ) {
    super(detail)
    this.name = 'ScimError'
    if (scimType !== undefined && STATUS_OF_TYPE[scimType] !== status) {
      throw new Error(`scimType ${scimType} does not belong to status ${String(status)}`)
    }
    this.status = status
    this.scimType = scimType
    this.headers = headers
  }
}

/** 400 with the given scimType: the common case for bad input. */
export const badRequest = (scimType: ScimType, detail: string): ScimError =>
  new ScimError(400, detail, scimType)

export const notFound = (detail: string): ScimError => new ScimError(404, detail)

export const conflict = (detail: string): ScimError => new ScimError(409, detail, 'uniqueness')

export function toErrorBody(error: ScimError): ScimErrorBody {
  const body: ScimErrorBody = {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    detail: error.message,
  }
  if (error.scimType !== undefined) body.scimType = error.scimType
  return body
}
