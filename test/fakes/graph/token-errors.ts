/**
 * @module The fake token endpoint's error answers, in the v2.0 shape
 * `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}` with
 * the AADSTS text and the trace lines Microsoft appends (docs/graph-sync.md §11).
 */
import { nextGuid, nowMs, type FakeState } from './state.ts'
import { plainJson, tokenTimestamp } from './wire.ts'

/** One refusal: its HTTP status, OAuth error code, AADSTS number and text. */
export interface TokenProblem {
  status: 400 | 401
  error: string
  code: number
  description: string
}

/** A required form parameter the request lacks (AADSTS900144). */
export const missing = (name: string): TokenProblem => ({
  status: 400,
  error: 'invalid_request',
  code: 900144,
  description: `The request body must contain the following parameter: '${name}'.`,
})

/** The error response of a refusal. */
export function tokenError(state: FakeState, problem: TokenProblem): Response {
  const traceId = nextGuid(state, '7ace')
  const correlationId = nextGuid(state, 'c0e1')
  const timestamp = tokenTimestamp(nowMs(state))
  return plainJson(
    {
      error: problem.error,
      error_description: `AADSTS${String(problem.code)}: ${problem.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [problem.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${String(problem.code)}`,
    },
    problem.status
  )
}
