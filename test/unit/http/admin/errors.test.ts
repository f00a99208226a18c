/**
 * The admin API's error answers: what the operator is told (a domain 503 included) and what
 * only the log sees.
 */
import { HTTPException } from 'hono/http-exception'
import { afterEach, describe, it, vi } from 'vitest'
import { AdminError, adminErrorBody } from '../../../../src/http/admin/errors'
import { ScimError } from '../../../../src/scim/errors'

const SECRETS = 'Pull sync instances need the SECRETS_KEY secret to be set'
const INTERNAL = {
  status: 500,
  body: { error: { status: 500, message: 'Internal error; request id r1' } },
}

describe('adminErrorBody', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.for<[string, unknown, number, string]>([
    ['a domain 503', new ScimError(503, SECRETS), 503, SECRETS],
    ['a domain 409', new ScimError(409, 'Instance "x" exists'), 409, 'Instance "x" exists'],
    [
      'an admin 503',
      new AdminError(503, 'The admin API is disabled'),
      503,
      'The admin API is disabled',
    ],
    ['a bad request', new HTTPException(400, { message: 'Malformed JSON' }), 400, 'Malformed JSON'],
  ])(
    'Should answer %s with its status and message, logging no error',
    ([, error, status, message], { expect }) => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect(adminErrorBody(error, 'r1')).toEqual({ status, body: { error: { status, message } } })
      expect(logged).not.toHaveBeenCalled()
    }
  )

  it.for<[string, unknown]>([
    ['a 500 from the tenant object', new ScimError(500, 'Internal error (request r1)')],
    ['an unexpected exception', new TypeError('db is undefined')],
    ['an HTTP 502', new HTTPException(502, { message: 'upstream said no' })],
  ])(
    'Should answer %s as a bare 500 naming the request id, and log it',
    ([, error], { expect }) => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect(adminErrorBody(error, 'r1')).toEqual(INTERNAL)
      expect(logged).toHaveBeenCalledOnce()
      expect(String(logged.mock.calls[0]?.[0])).toContain('"requestId":"r1"')
    }
  )
})
